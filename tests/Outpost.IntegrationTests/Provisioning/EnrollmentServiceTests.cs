using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.Core.SharedAccess;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Provisioning;

/// <summary>The DPS service API on the instance's own host name: enrollments and groups with SAS from the instance's policies.</summary>
public sealed class EnrollmentServiceTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string Group = "enrollments-rg";
    private const string Api = "api-version=2021-10-01";
    private string host = string.Empty;
    private string ownerKey = string.Empty;

    private ManagementClient Client => fixture.Client;

    public async ValueTask InitializeAsync()
    {
        await Client.PutAsync(Client.ResourceGroupPath(Group), new { location = "eastus" });
        var dps = await Client.PutAsync(Client.DpsPath(Group, "enroll-dps"), new { location = "eastus", sku = new { name = "S1", capacity = 1 } });
        host = dps.Body!["properties"]!["serviceOperationsHostName"]!.GetValue<string>();
        var keys = await Client.PostAsync(Client.DpsPath(Group, "enroll-dps") + "/listkeys", new { });
        ownerKey = keys.Body!["value"]![0]!["primaryKey"]!.GetValue<string>();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string Token(string? key = null, DateTimeOffset? expiry = null) =>
        SharedAccessSignature.Create(host, key ?? ownerKey, "provisioningserviceowner", expiry ?? DateTimeOffset.UtcNow.AddHours(1));

    [Fact]
    public async Task SymmetricKeyGroupsAreCreatedWithGeneratedKeysReadReplacedAndDeleted()
    {
        using var service = new HostClient(fixture.Server, host);
        var created = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/sensors?{Api}", Token(),
            new { enrollmentGroupId = "sensors", attestation = new { type = "symmetricKey" }, provisioningStatus = "enabled" });
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        var primary = created.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        Assert.Equal(64, Convert.FromBase64String(primary).Length);
        Assert.True(created.Body!["reprovisionPolicy"]!["migrateDeviceData"]!.GetValue<bool>());

        var fetched = await service.SendAsync(HttpMethod.Get, $"/enrollmentgroups/SENSORS?{Api}", Token());
        Assert.Equal(primary, fetched.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>());
        var attestation = await service.SendAsync(HttpMethod.Post, $"/enrollmentgroups/sensors/attestationmechanism?{Api}", Token());
        Assert.Equal("symmetricKey", attestation.Body!["type"]!.GetValue<string>());

        var etag = fetched.Body!["etag"]!.GetValue<string>();
        var stale = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/sensors?{Api}", Token(),
            new { enrollmentGroupId = "sensors", attestation = new { type = "symmetricKey" }, provisioningStatus = "disabled" }, new Dictionary<string, string> { ["If-Match"] = "\"not-the-etag\"" });
        Assert.True(stale.Status == HttpStatusCode.PreconditionFailed, stale.ToString());
        Assert.Equal(412002, stale.Body!["errorCode"]!.GetValue<int>());
        var replaced = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/sensors?{Api}", Token(),
            new { enrollmentGroupId = "sensors", attestation = new { type = "symmetricKey" }, provisioningStatus = "disabled" }, new Dictionary<string, string> { ["If-Match"] = etag });
        Assert.Equal("disabled", replaced.Body!["provisioningStatus"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await service.SendAsync(HttpMethod.Delete, $"/enrollmentGroups/sensors?{Api}", Token())).Status);
        var gone = await service.SendAsync(HttpMethod.Get, $"/enrollmentGroups/sensors?{Api}", Token());
        Assert.True(gone.Status == HttpStatusCode.NotFound, gone.ToString());
        Assert.Equal(404201, gone.Body!["errorCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task X509EnrollmentsCarryCertificateInfoAndQueriesPage()
    {
        using var service = new HostClient(fixture.Server, host);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = new CertificateRequest("CN=Enrollment test CA", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var group = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/x509-devices?{Api}", Token(),
            new { enrollmentGroupId = "x509-devices", attestation = new { type = "x509", x509 = new { signingCertificates = new { primary = new { certificate = ca.ExportCertificatePem() } } } } });
        Assert.True(group.Status == HttpStatusCode.OK, group.ToString());
        Assert.Equal(ca.Thumbprint, group.Body!["attestation"]!["x509"]!["signingCertificates"]!["primary"]!["info"]!["sha1Thumbprint"]!.GetValue<string>());

        foreach (var id in new[] { "device-a", "device-b", "device-c" })
        {
            var enrollment = await service.SendAsync(HttpMethod.Put, $"/enrollments/{id}?{Api}", Token(), new { registrationId = id, attestation = new { type = "symmetricKey" } });
            Assert.True(enrollment.Status == HttpStatusCode.OK, enrollment.ToString());
        }

        var first = await service.SendAsync(HttpMethod.Post, $"/enrollments/query?{Api}", Token(), new { query = "*" }, new Dictionary<string, string> { ["x-ms-max-item-count"] = "2" });
        Assert.Equal(2, first.Body!.AsArray().Count);
        var continuation = first.Headers.GetValues("x-ms-continuation").Single();
        var second = await service.SendAsync(HttpMethod.Post, $"/enrollments/query?{Api}", Token(), new { query = "*" },
            new Dictionary<string, string> { ["x-ms-max-item-count"] = "2", ["x-ms-continuation"] = continuation });
        Assert.Single(second.Body!.AsArray());
        Assert.False(second.Headers.Contains("x-ms-continuation"), "The last page carries no continuation.");

        var bulk = await service.SendAsync(HttpMethod.Post, $"/enrollments?{Api}", Token(),
            new { mode = "create", enrollments = new object[] { new { registrationId = "device-a", attestation = new { type = "symmetricKey" } }, new { registrationId = "device-d", attestation = new { type = "symmetricKey" } } } });
        Assert.False(bulk.Body!["isSuccessful"]!.GetValue<bool>());
        Assert.Equal("device-a", bulk.Body!["errors"]![0]!["registrationId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/enrollments/device-d?{Api}", Token())).Status);
    }

    [Theory]
    [InlineData("fail/tpm", "{\"registrationId\":\"tpm-device\",\"attestation\":{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":\"AAAA\"}}}", "TPM")]
    [InlineData("fail/bad-id", "{\"registrationId\":\"bad id!\",\"attestation\":{\"type\":\"symmetricKey\"}}", "invalid")]
    [InlineData("fail/unknown-policy", "{\"registrationId\":\"policy-device\",\"attestation\":{\"type\":\"symmetricKey\"},\"credentialPolicyName\":\"nope\"}", "credentialPolicyName")]
    [InlineData("fail/short-key", "{\"registrationId\":\"key-device\",\"attestation\":{\"type\":\"symmetricKey\",\"symmetricKey\":{\"primaryKey\":\"AAAA\"}}}", "16 to 64 bytes")]
    public async Task BadEnrollmentsAreRefusedAndNotStored(string label, string body, string expected)
    {
        using var service = new HostClient(fixture.Server, host);
        var id = System.Text.Json.Nodes.JsonNode.Parse(body)!["registrationId"]!.GetValue<string>();
        var refused = await service.SendAsync(HttpMethod.Put, $"/enrollments/{Uri.EscapeDataString(id)}?{Api}", Token(), body);
        Assert.True(refused.Status == HttpStatusCode.BadRequest, $"{label}: {refused}");
        Assert.Contains(expected, refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(refused.Body!["trackingId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/enrollments/{Uri.EscapeDataString(id)}?{Api}", Token())).Status);
    }

    [Fact]
    public async Task WrongKeysExpiredTokensAndMissingTokensAreRefused()
    {
        using var service = new HostClient(fixture.Server, host);
        var wrong = await service.SendAsync(HttpMethod.Get, $"/enrollments/device-a?{Api}", Token(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(401002, wrong.Body!["errorCode"]!.GetValue<int>());
        var expired = await service.SendAsync(HttpMethod.Get, $"/enrollments/device-a?{Api}", Token(expiry: DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Contains("expired", expired.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var missing = await service.SendAsync(HttpMethod.Get, $"/enrollments/device-a?{Api}", null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
    }
}
