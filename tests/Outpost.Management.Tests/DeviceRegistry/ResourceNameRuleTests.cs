using Outpost.Core.Errors;
using Outpost.Management.DeviceRegistry;

namespace Outpost.Management.Tests.DeviceRegistry;

public sealed class ResourceNameRuleTests
{
    [Theory]
    [InlineData("ok/shortest", "abc")]
    [InlineData("ok/walkthrough", "msft-namespace")]
    [InlineData("ok/digits", "ns-01")]
    [InlineData("ok/longest", "a123456789012345678901234567890123456789012345678901234567890123")]
    public void NamespaceNamesWithinTheRulesAreAccepted(string label, string name)
    {
        var exception = Record.Exception(() => ResourceNameRule.Namespace.Validate(name));
        Assert.True(exception is null, $"{label}: {exception?.Message}");
    }

    [Theory]
    [InlineData("fail/empty", "", "too short")]
    [InlineData("fail/two-characters", "ab", "too short")]
    [InlineData("fail/sixty-five", "a1234567890123456789012345678901234567890123456789012345678901234", "too long")]
    [InlineData("fail/leading-hyphen", "-abc", "starts or ends with a hyphen")]
    [InlineData("fail/trailing-hyphen", "abc-", "starts or ends with a hyphen")]
    [InlineData("fail/upper-case", "Abc", "upper-case")]
    [InlineData("fail/dot", "a.bc", "'.'")]
    [InlineData("fail/space", "a bc", "' '")]
    public void NamespaceNamesThatBreakARuleSayWhichRule(string label, string name, string rule)
    {
        var refusal = Assert.Throws<OutpostException>(() => ResourceNameRule.Namespace.Validate(name));
        Assert.Equal(ErrorCode.InvalidResourceName, refusal.Code);
        Assert.True(refusal.Message.Contains(rule, StringComparison.Ordinal), $"{label}: {refusal.Message}");
        Assert.Equal("namespaceName", refusal.Target);
    }

    [Fact]
    public void EveryBrokenRuleIsReportedAtOnce()
    {
        var refusal = Assert.Throws<OutpostException>(() => ResourceNameRule.Policy.Validate("-P"));
        Assert.Contains("too short", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("upper-case", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("hyphen", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ok/fifty", "p1234567890123456789012345678901234567890123456789", true)]
    [InlineData("fail/fifty-one", "p12345678901234567890123456789012345678901234567890", false)]
    public void PolicyNamesStopAtFiftyCharactersAsThePortalSays(string label, string name, bool accepted)
    {
        var exception = Record.Exception(() => ResourceNameRule.Policy.Validate(name));
        Assert.True((exception is null) == accepted, $"{label}: {exception?.Message}");
    }
}
