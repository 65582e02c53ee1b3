using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Management.DeviceRegistry.Policies;

namespace Outpost.Management.Tests.DeviceRegistry;

public sealed class PolicySettingsTests
{
    [Fact]
    public void MissingValuesTakeTheCliDefaults()
    {
        var settings = PolicySettings.FromPut(new JsonObject(), defaultValidityDays: 30);
        Assert.Equal(new PolicySettings("ECC", 30), settings);
    }

    [Theory]
    [InlineData("ok/minimum", "7", 7)]
    [InlineData("ok/maximum", "90", 90)]
    public void ValidityFromSevenToNinetyIsAccepted(string label, string json, int expected)
    {
        Assert.True(PolicySettings.FromPut(Body($"{{\"validityPeriodInDays\":{json}}}", "{}"), 30).ValidityPeriodInDays == expected, label);
    }

    [Theory]
    [InlineData("fail/six", "6")]
    [InlineData("fail/ninety-one", "91")]
    [InlineData("fail/fraction", "7.5")]
    [InlineData("fail/string", "\"30\"")]
    public void ValidityOutsideTheRangeOrNotAWholeNumberIsRefused(string label, string json)
    {
        var refusal = Assert.Throws<OutpostException>(() => PolicySettings.FromPut(Body($"{{\"validityPeriodInDays\":{json}}}", "{}"), 30));
        Assert.True(refusal.Code == ErrorCode.InvalidParameter, label);
        Assert.Equal(PolicySettings.ValidityPath, refusal.Target);
        Assert.Contains("7", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fail/rsa", "{\"keyType\":\"RSA\"}", ErrorCode.InvalidParameter)]
    [InlineData("fail/byor", "{\"keyType\":\"ECC\",\"bringYourOwnRoot\":{\"enabled\":true}}", ErrorCode.InvalidParameter)]
    [InlineData("fail/key-type-number", "{\"keyType\":3}", ErrorCode.InvalidRequestContent)]
    public void UnsupportedCertificateAuthoritySettingsAreRefused(string label, string authority, ErrorCode expected)
    {
        var refusal = Assert.Throws<OutpostException>(() => PolicySettings.FromPut(Body("{}", authority), 30));
        Assert.True(refusal.Code == expected, $"{label}: {refusal.Code} {refusal.Message}");
    }

    private static JsonObject Body(string leaf, string authority) => JsonNode.Parse(
        $"{{\"properties\":{{\"certificate\":{{\"certificateAuthorityConfiguration\":{authority},\"leafCertificateConfiguration\":{leaf}}}}}}}")!.AsObject();
}
