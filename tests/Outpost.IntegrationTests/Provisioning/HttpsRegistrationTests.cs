using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Data.Sqlite;
using Outpost.Core.SharedAccess;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Provisioning;

/// <summary>Device registration over HTTPS with a symmetric-key group, with and without a CSR, and its refusals.</summary>
public sealed class HttpsRegistrationTests(RegistrationFixture fixture) : IClassFixture<RegistrationFixture>
{
    private const string Api = RegistrationFixture.Api;

    private ProvisioningSetup Setup => fixture.Setup;

    private string GroupKey => fixture.GroupKey;

    [Fact]
    public async Task ADeviceWithACsrIsAssignedAndIssuedACertificateItsHubTrusts()
    {
        using var device = new HostClient(fixture.Server, $"global.dps.outpost.localhost");
        var csr = DeviceKeys.EcCsr("sensor-17", ECCurve.NamedCurves.nistP256);
        var register = await device.SendAsync(HttpMethod.Put, $"/{Setup.IdScope}/registrations/sensor-17/register?{Api}", DeviceToken("sensor-17"),
            new { registrationId = "sensor-17", payload = new { site = "north" }, csr = Convert.ToBase64String(csr) });
        Assert.True(register.Status == HttpStatusCode.Accepted, register.ToString());
        Assert.Equal("assigning", register.Body!["status"]!.GetValue<string>());

        var operation = await device.SendAsync(HttpMethod.Get, $"/{Setup.IdScope}/registrations/sensor-17/operations/{register.Body!["operationId"]}?{Api}", DeviceToken("sensor-17"));
        Assert.True(operation.Status == HttpStatusCode.OK, operation.ToString());
        var state = operation.Body!["registrationState"]!;
        Assert.Equal("assigned", operation.Body!["status"]!.GetValue<string>());
        Assert.Equal(Setup.HubHost, state["assignedHub"]!.GetValue<string>());
        Assert.Equal("sensor-17", state["deviceId"]!.GetValue<string>());
        Assert.Equal("north", state["payload"]!["site"]!.GetValue<string>());
        Assert.Equal("fleet", state["symmetricKey"]!["enrollmentGroupId"]!.GetValue<string>());

        var chain = state["issuedCertificateChain"]!.AsArray().Select(item => Convert.FromBase64String(item!.GetValue<string>())).ToList();
        Assert.Equal(3, chain.Count);
        using var leaf = X509CertificateLoader.LoadCertificate(chain[0]);
        Assert.Equal("CN=sensor-17", leaf.Subject);
        var (exitCode, output) = await DeviceKeys.OpensslVerifyAsync(chain);
        Assert.True(exitCode == 0, output);

        Assert.Equal("certificateAuthority", HubDeviceAuthentication(Setup.HubHost.Split('.')[0], "sensor-17"));

        var lookup = await device.SendAsync(HttpMethod.Post, $"/{Setup.IdScope}/registrations/sensor-17?{Api}", DeviceToken("sensor-17"), new { registrationId = "sensor-17" });
        Assert.Equal("assigned", lookup.Body!["status"]!.GetValue<string>());
        Assert.Null(lookup.Body!["issuedCertificateChain"]);
    }

    [Fact]
    public async Task ADeviceWithoutACsrKeepsItsKey()
    {
        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost");
        var register = await device.SendAsync(HttpMethod.Put, $"/{Setup.IdScope}/registrations/plain-device/register?{Api}", DeviceToken("plain-device"), new { registrationId = "plain-device" });
        Assert.True(register.Status == HttpStatusCode.Accepted, register.ToString());
        var operation = await device.SendAsync(HttpMethod.Get, $"/{Setup.IdScope}/registrations/plain-device/operations/{register.Body!["operationId"]}?{Api}", DeviceToken("plain-device"));
        Assert.Null(operation.Body!["registrationState"]!["issuedCertificateChain"]);
        Assert.Equal("sas", HubDeviceAuthentication(Setup.HubHost.Split('.')[0], "plain-device"));
    }

    public static TheoryData<string, string, Func<HttpsRegistrationTests, (string Path, string? Token, object Body)>, HttpStatusCode, string> Refusals => new()
    {
        { "fail/wrong-key", "wrong-key-device", test => (test.Path("wrong-key-device"), SharedAccessSignature.Create($"{test.Setup.IdScope}/registrations/wrong-key-device", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), "registration", DateTimeOffset.UtcNow.AddHours(1)), new { registrationId = "wrong-key-device" }), HttpStatusCode.Unauthorized, "No enrollment" },
        { "fail/expired-sas", "expired-device", test => (test.Path("expired-device"), test.DeviceToken("expired-device", DateTimeOffset.UtcNow.AddMinutes(-5)), new { registrationId = "expired-device" }), HttpStatusCode.Unauthorized, "expired" },
        { "fail/disabled-enrollment", "parked-device", test => (test.Path("parked-device"), test.IndividualToken("parked-device"), new { registrationId = "parked-device" }), HttpStatusCode.Unauthorized, "disabled" },
        { "fail/rsa-csr", "rsa-device", test => (test.Path("rsa-device"), test.DeviceToken("rsa-device"), new { registrationId = "rsa-device", csr = Convert.ToBase64String(DeviceKeys.RsaCsr("rsa-device")) }), HttpStatusCode.BadRequest, "RSA" },
        { "fail/csr-cn-mismatch", "cn-device", test => (test.Path("cn-device"), test.DeviceToken("cn-device"), new { registrationId = "cn-device", csr = Convert.ToBase64String(DeviceKeys.EcCsr("someone-else", ECCurve.NamedCurves.nistP256)) }), HttpStatusCode.BadRequest, "someone-else" },
        { "fail/unknown-id-scope", "scope-device", test => ($"/0ne00000000/registrations/scope-device/register?{Api}", test.DeviceToken("scope-device"), new { registrationId = "scope-device" }), HttpStatusCode.NotFound, "ID scope" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task RefusedRegistrationsSayWhyAndCreateNothing(string label, string registrationId, Func<HttpsRegistrationTests, (string Path, string? Token, object Body)> request,
        HttpStatusCode status, string expected)
    {
        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost");
        var (path, token, body) = request(this);
        var refused = await device.SendAsync(HttpMethod.Put, path, token, body);
        Assert.True(refused.Status == status, $"{label}: {refused}");
        Assert.Contains(expected, refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(refused.Body!["errorCode"]!.GetValue<int>() / 1000 == (int)status, $"{label}: errorCode {refused.Body!["errorCode"]}");
        Assert.Null(HubDeviceAuthentication(Setup.HubHost.Split('.')[0], registrationId));
    }

    [Fact]
    public async Task RegistrationStatesAreReadListedAndDeletedOnTheServiceApi()
    {
        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost");
        var register = await device.SendAsync(HttpMethod.Put, Path("state-device"), DeviceToken("state-device"), new { registrationId = "state-device" });
        Assert.True(register.Status == HttpStatusCode.Accepted, register.ToString());

        using var service = new HostClient(fixture.Server, Setup.ServiceHost);
        var state = await service.SendAsync(HttpMethod.Get, $"/registrations/state-device?{Api}", Setup.ServiceToken());
        Assert.Equal("assigned", state.Body!["status"]!.GetValue<string>());
        var members = await service.SendAsync(HttpMethod.Post, $"/registrations/fleet/query?{Api}", Setup.ServiceToken(), new { query = "*" });
        Assert.Contains(members.Body!.AsArray(), member => member!["registrationId"]!.GetValue<string>() == "state-device");
        Assert.Equal(HttpStatusCode.NoContent, (await service.SendAsync(HttpMethod.Delete, $"/registrations/state-device?{Api}", Setup.ServiceToken())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/registrations/state-device?{Api}", Setup.ServiceToken())).Status);
    }

    [Fact]
    public async Task BearerTokensNeedAProvisioningDataRole()
    {
        using var service = new HostClient(fixture.Server, Setup.ServiceHost);
        var token = await fixture.Client.GetTokenAsync("https://azure-devices-provisioning.net/.default");
        var refused = await service.SendAsync(HttpMethod.Get, $"/enrollmentGroups/fleet?{Api}", $"Bearer {token}");
        Assert.True(refused.Status == HttpStatusCode.Unauthorized, refused.ToString());
        Assert.Contains("Device Provisioning Service Data", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var dps = await fixture.Client.GetAsync(fixture.Client.DpsPath(Setup.Group, $"{Setup.Group}-dps"));
        await fixture.Client.AssignRoleAsync(dps.Body!["id"]!.GetValue<string>(), "10745317-c249-44a1-a5ce-3a4353c0bbd8", AdminObjectId(token));
        var allowed = await service.SendAsync(HttpMethod.Get, $"/enrollmentGroups/fleet?{Api}", $"Bearer {token}");
        Assert.True(allowed.Status == HttpStatusCode.OK, allowed.ToString());
        var write = await service.SendAsync(HttpMethod.Delete, $"/enrollmentGroups/fleet?{Api}", $"Bearer {token}");
        Assert.True(write.Status == HttpStatusCode.Unauthorized, $"A reader must not delete: {write}");
    }

    /// <summary>The object id a token was issued to, read from its payload.</summary>
    private static string AdminObjectId(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return System.Text.Json.Nodes.JsonNode.Parse(Convert.FromBase64String(payload))!["oid"]!.GetValue<string>();
    }

    [Fact]
    public async Task TheEnrollmentsInitialTwinBecomesTheDevicesTwin()
    {
        using var service = new HostClient(fixture.Server, Setup.ServiceHost);
        var enrollment = await service.SendAsync(HttpMethod.Put, $"/enrollments/twin-device?{Api}", Setup.ServiceToken(), new
        {
            registrationId = "twin-device",
            attestation = new { type = "symmetricKey" },
            initialTwin = new { tags = new { site = "north" }, properties = new { desired = new { interval = 30 } } },
        });
        var key = enrollment.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost");
        var token = SharedAccessSignature.Create($"{Setup.IdScope}/registrations/twin-device", key, "registration", DateTimeOffset.UtcNow.AddHours(1));
        var register = await device.SendAsync(HttpMethod.Put, Path("twin-device"), token, new { registrationId = "twin-device" });
        Assert.True(register.Status == HttpStatusCode.Accepted, register.ToString());

        var twin = HubDevice(Setup.HubHost.Split('.')[0], "twin-device")!["twin"]!;
        Assert.Equal("north", twin["tags"]!["site"]!.GetValue<string>());
        Assert.Equal(30, twin["properties"]!["desired"]!["interval"]!.GetValue<int>());
    }

    [Fact]
    public async Task CustomAllocationAsksTheWebhookAndRefusesAHubItMayNotUse()
    {
        using var webhook = new AllocationWebhook(request => new System.Text.Json.Nodes.JsonObject
        {
            ["iotHubHostName"] = request["deviceRuntimeContext"]!["registrationId"]!.GetValue<string>() == "lost-device" ? "elsewhere.example.com" : Setup.HubHost,
            ["initialTwin"] = new System.Text.Json.Nodes.JsonObject { ["tags"] = new System.Text.Json.Nodes.JsonObject { ["chosenBy"] = "webhook" } },
            ["payload"] = new System.Text.Json.Nodes.JsonObject { ["linked"] = request["linkedHubs"]!.AsArray().Count },
        });
        using var service = new HostClient(fixture.Server, Setup.ServiceHost);
        var group = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/custom-fleet?{Api}", Setup.ServiceToken(), new
        {
            enrollmentGroupId = "custom-fleet",
            attestation = new { type = "symmetricKey" },
            allocationPolicy = "custom",
            customAllocationDefinition = new { webhookUrl = webhook.Url, apiVersion = "2021-10-01" },
        });
        Assert.True(group.Status == HttpStatusCode.OK, group.ToString());
        var customKey = group.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        string Token(string id) => SharedAccessSignature.Create($"{Setup.IdScope}/registrations/{id}",
            Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(customKey), Encoding.UTF8.GetBytes(id))), "registration", DateTimeOffset.UtcNow.AddHours(1));

        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost");
        var register = await device.SendAsync(HttpMethod.Put, Path("custom-device"), Token("custom-device"), new { registrationId = "custom-device" });
        Assert.True(register.Status == HttpStatusCode.Accepted, register.ToString());
        var operation = await device.SendAsync(HttpMethod.Get, $"/{Setup.IdScope}/registrations/custom-device/operations/{register.Body!["operationId"]}?{Api}", Token("custom-device"));
        Assert.Equal(Setup.HubHost, operation.Body!["registrationState"]!["assignedHub"]!.GetValue<string>());
        Assert.Equal(1, operation.Body!["registrationState"]!["payload"]!["linked"]!.GetValue<int>());
        Assert.Equal("webhook", HubDevice(Setup.HubHost.Split('.')[0], "custom-device")!["twin"]!["tags"]!["chosenBy"]!.GetValue<string>());
        Assert.DoesNotContain(customKey, webhook.Requests.Single(), StringComparison.Ordinal);

        var lost = await device.SendAsync(HttpMethod.Put, Path("lost-device"), Token("lost-device"), new { registrationId = "lost-device" });
        Assert.True(lost.Status == HttpStatusCode.Conflict, lost.ToString());
        Assert.Contains("elsewhere.example.com", lost.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(HubDevice(Setup.HubHost.Split('.')[0], "lost-device"));
    }

    [Fact]
    public async Task AnX509DeviceOfTheGroupIsAssignedWithCaAuthentication()
    {
        using var certificate = fixture.Pki.Device("x509-device-1");
        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost", certificate);
        var register = await device.SendAsync(HttpMethod.Put, Path("x509-device-1"), null, new { registrationId = "x509-device-1" });
        Assert.True(register.Status == HttpStatusCode.Accepted, register.ToString());
        var operation = await device.SendAsync(HttpMethod.Get, $"/{Setup.IdScope}/registrations/x509-device-1/operations/{register.Body!["operationId"]}?{Api}", null);
        Assert.Equal("x509-fleet", operation.Body!["registrationState"]!["x509"]!["enrollmentGroupId"]!.GetValue<string>());
        Assert.Equal("certificateAuthority", HubDeviceAuthentication(Setup.HubHost.Split('.')[0], "x509-device-1"));
    }

    [Fact]
    public async Task AnX509DeviceWhoseCnDiffersFromItsRegistrationIdIsRefused()
    {
        using var certificate = fixture.Pki.Device("some-other-name");
        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost", certificate);
        var refused = await device.SendAsync(HttpMethod.Put, Path("x509-device-2"), null, new { registrationId = "x509-device-2" });
        Assert.True(refused.Status == HttpStatusCode.Unauthorized, refused.ToString());
        Assert.Contains("'some-other-name'", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(HubDeviceAuthentication(Setup.HubHost.Split('.')[0], "x509-device-2"));
    }

    [Fact]
    public async Task AnX509ChainThatLeadsToNoEnrollmentIsRefused()
    {
        using var stranger = new DeviceCertificates("stranger");
        using var certificate = stranger.Device("x509-device-3");
        using var device = new HostClient(fixture.Server, "global.dps.outpost.localhost", certificate);
        var refused = await device.SendAsync(HttpMethod.Put, Path("x509-device-3"), null, new { registrationId = "x509-device-3" });
        Assert.True(refused.Status == HttpStatusCode.Unauthorized, refused.ToString());
        Assert.Contains("leads to no enrollment", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(HubDeviceAuthentication(Setup.HubHost.Split('.')[0], "x509-device-3"));
    }

    private string Path(string registrationId) => $"/{Setup.IdScope}/registrations/{registrationId}/register?{Api}";

    /// <summary>The device key DPS derives for a group member: HMAC-SHA256 of the registration id under the group key.</summary>
    private string DeviceToken(string registrationId, DateTimeOffset? expiry = null) =>
        SharedAccessSignature.Create($"{Setup.IdScope}/registrations/{registrationId}",
            Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(GroupKey), Encoding.UTF8.GetBytes(registrationId))), "registration",
            expiry ?? DateTimeOffset.UtcNow.AddHours(1));

    private string IndividualToken(string registrationId)
    {
        using var service = new HostClient(fixture.Server, Setup.ServiceHost);
        var enrollment = service.SendAsync(HttpMethod.Get, $"/enrollments/{registrationId}?{Api}", Setup.ServiceToken()).GetAwaiter().GetResult();
        return SharedAccessSignature.Create($"{Setup.IdScope}/registrations/{registrationId}",
            enrollment.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>(), "registration", DateTimeOffset.UtcNow.AddHours(1));
    }

    private string? HubDeviceAuthentication(string hubName, string deviceId) => HubDevice(hubName, deviceId)?["authentication"]!["type"]!.GetValue<string>();

    /// <summary>A device in a hub's registry, read from the store (the hub's service API comes later), or null.</summary>
    private System.Text.Json.Nodes.JsonNode? HubDevice(string hubName, string deviceId)
    {
        using var connection = new SqliteConnection($"Data Source={System.IO.Path.Combine(fixture.Server.DataDirectory, "outpost.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM resources WHERE type_key = 'microsoft.devices/iothubs/devices' AND id_key LIKE $suffix";
        command.Parameters.AddWithValue("$suffix", $"%/iothubs/{hubName}/devices/{deviceId}");
        var body = command.ExecuteScalar() as string;
        return body is null ? null : System.Text.Json.Nodes.JsonNode.Parse(body);
    }
}
