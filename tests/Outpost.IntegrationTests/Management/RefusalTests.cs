using System.Net;
using System.Security.Cryptography;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Management;

/// <summary>Bad input is refused with ARM's envelope, a message naming the rule and the value, and nothing left behind.</summary>
public sealed class RefusalTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string Group = "refusals-rg";
    private const string Namespace = "refusals-ns";

    private ManagementClient Client => fixture.Client;

    public async ValueTask InitializeAsync()
    {
        await Client.PutAsync(Client.ResourceGroupPath(Group), new { location = "eastus" });
        var ns = await Client.PutAsync(Client.NamespacePath(Group, Namespace), new { location = "eastus", identity = new { type = "SystemAssigned" } });
        Assert.True(ns.Status is HttpStatusCode.Created or HttpStatusCode.OK, ns.ToString());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("fail/too-short", "ab", "too short")]
    [InlineData("fail/too-long", "n1234567890123456789012345678901234567890123456789012345678901234", "too long")]
    [InlineData("fail/leading-hyphen", "-namespace", "hyphen")]
    [InlineData("fail/trailing-hyphen", "namespace-", "hyphen")]
    [InlineData("fail/upper-case", "MyNamespace", "upper-case")]
    [InlineData("fail/underscore", "my_namespace", "'_'")]
    public async Task NamespaceNamesThatBreakARuleAreRefused(string label, string name, string rule)
    {
        var path = Client.NamespacePath(Group, name);
        var response = await Client.PutAsync(path, new { location = "eastus", identity = new { type = "SystemAssigned" } });
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{label}: {response}");
        Assert.Equal("InvalidResourceName", response.ErrorCode);
        Assert.Contains(rule, response.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(name, response.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(path)).Status);
    }

    [Theory]
    [InlineData("fail/too-short", "ab", "too short")]
    [InlineData("fail/too-long", "p12345678901234567890123456789012345678901234567890", "too long")]
    [InlineData("fail/leading-hyphen", "-policy", "hyphen")]
    [InlineData("fail/trailing-hyphen", "policy-", "hyphen")]
    [InlineData("fail/upper-case", "MyPolicy", "upper-case")]
    public async Task PolicyNamesThatBreakARuleAreRefused(string label, string name, string rule)
    {
        var path = Client.PolicyPath(Group, Namespace, name);
        var response = await Client.PutAsync(path, ValidPolicy(30));
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{label}: {response}");
        Assert.Equal("InvalidResourceName", response.ErrorCode);
        Assert.Contains(rule, response.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(path)).Status);
    }

    [Theory]
    [InlineData("fail/below-minimum", 6)]
    [InlineData("fail/above-maximum", 91)]
    public async Task ValidityOutsideSevenToNinetyDaysIsRefused(string label, int days)
    {
        var path = Client.PolicyPath(Group, Namespace, $"validity-{days}");
        var response = await Client.PutAsync(path, ValidPolicy(days));
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{label}: {response}");
        Assert.Equal("InvalidParameter", response.ErrorCode);
        Assert.Contains($"{days}", response.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("7 to 90", response.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("properties.certificate.leafCertificateConfiguration.validityPeriodInDays", response.Body!["error"]!["target"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(path)).Status);

        var patch = await Client.PatchAsync(Client.PolicyPath(Group, Namespace, "default"), new { properties = new { certificate = new { leafCertificateConfiguration = new { validityPeriodInDays = days } } } });
        Assert.True(patch.Status == HttpStatusCode.BadRequest, $"{label} (PATCH): {patch}");
    }

    public static TheoryData<string, Func<byte[]>, string> BadCsrs => new()
    {
        { "fail/rsa", () => DeviceKeys.RsaCsr("device-7"), "RSA" },
        { "fail/broken-signature", () => DeviceKeys.BrokenSignatureCsr("device-7"), "signature" },
        { "fail/cn-mismatch", () => DeviceKeys.EcCsr("someone-else", ECCurve.NamedCurves.nistP256), "someone-else" },
        { "fail/not-a-csr", () => [0x30, 0x03, 0x02, 0x01, 0x00], "PKCS#10" },
    };

    [Theory]
    [MemberData(nameof(BadCsrs))]
    public async Task CertificateRequestsThatFailACheckAreRefused(string label, Func<byte[]> csr, string expected)
    {
        var response = await Client.PostAsync(Client.IssuePath(Group, Namespace, "device-7", "default"), new { csr = Convert.ToBase64String(csr()) });
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{label}: {response}");
        Assert.Equal("CsrRejected", response.ErrorCode);
        Assert.Contains(expected, response.ErrorMessage, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Operation-Location"), $"{label}: a refused request must not start an operation.");
    }

    [Fact]
    public async Task MissingApiVersionAndUnknownResourcesAreExplained()
    {
        var noVersion = await Client.SendAsync(HttpMethod.Get, Client.NamespacePath(Group, Namespace) + "?x=1", null, apiVersion: string.Empty);
        Assert.Equal("MissingApiVersionParameter", noVersion.ErrorCode);

        var missingGroup = await Client.PutAsync(Client.NamespacePath("no-such-rg", "some-namespace"), new { location = "eastus" });
        Assert.True(missingGroup.Status == HttpStatusCode.NotFound, missingGroup.ToString());
        Assert.Equal("ResourceGroupNotFound", missingGroup.ErrorCode);
        Assert.Contains("no-such-rg", missingGroup.ErrorMessage, StringComparison.Ordinal);

        var unserved = await Client.GetAsync($"{Client.ResourceGroupPath(Group)}/providers/Microsoft.Storage/storageAccounts/some-account", "2023-05-01");
        Assert.True(unserved.Status == HttpStatusCode.BadRequest, unserved.ToString());
        Assert.Equal("NoRegisteredProviderFound", unserved.ErrorCode);
        Assert.Contains("Microsoft.Storage/storageAccounts", unserved.ErrorMessage, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(HttpMethod.Head, Client.NamespacePath(Group, Namespace), null, null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(HttpMethod.Head, Client.NamespacePath(Group, "absent-namespace"), null, null)).Status);

        var brokenJson = await Client.PutAsync(Client.NamespacePath(Group, "broken-json"), "{\"location\": ");
        Assert.Equal("InvalidRequestContent", brokenJson.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(Client.NamespacePath(Group, "broken-json"))).Status);
    }

    private static object ValidPolicy(int days) =>
        new { properties = new { certificate = new { certificateAuthorityConfiguration = new { keyType = "ECC" }, leafCertificateConfiguration = new { validityPeriodInDays = days } } } };
}
