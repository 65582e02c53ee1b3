using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using Outpost.IntegrationTests.Support;
using Roles = Outpost.IntegrationTests.Support.ManagementClient.Roles;

namespace Outpost.IntegrationTests.IotHub;

/// <summary>The hub's service API: its refusals in the shape azure-iothub parses, its rights and roles, and its limits.</summary>
public sealed class HubServiceApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Api = "api-version=2021-04-12";

    [Fact]
    public async Task RegistryRefusalsCarryIotHubsErrorCodes()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "service-errors");
        using var service = new HostClient(fixture.Server, hub.HostName);
        var token = hub.ServiceToken();

        var created = await service.SendAsync(HttpMethod.Put, $"/devices/twin-device?{Api}", token, new { deviceId = "twin-device" });
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        var again = await service.SendAsync(HttpMethod.Put, $"/devices/twin-device?{Api}", token, new { deviceId = "twin-device" });
        AssertError(again, HttpStatusCode.Conflict, "DeviceAlreadyExists");

        var stale = await service.SendAsync(HttpMethod.Put, $"/devices/twin-device?{Api}", token, new { deviceId = "twin-device", status = "disabled" },
            new Dictionary<string, string> { ["If-Match"] = "\"not-the-etag\"" });
        AssertError(stale, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        var twinStale = await service.SendAsync(HttpMethod.Patch, $"/twins/twin-device?{Api}", token, new { tags = new { a = 1 } },
            new Dictionary<string, string> { ["If-Match"] = "\"AAAAAAAAAAk=\"" });
        AssertError(twinStale, HttpStatusCode.PreconditionFailed, "PreconditionFailed");

        AssertError(await service.SendAsync(HttpMethod.Get, $"/devices/nobody?{Api}", token), HttpStatusCode.NotFound, "DeviceNotFound");
        AssertError(await service.SendAsync(HttpMethod.Put, $"/devices/bad+id?{Api}", token, new { deviceId = "bad+id" }), HttpStatusCode.BadRequest, "ArgumentInvalid");
        AssertError(await service.SendAsync(HttpMethod.Post, $"/devices/query?{Api}", token, new { query = "SELECT * FROM nowhere" }), HttpStatusCode.BadRequest, "ArgumentInvalid");

        // Nothing half-made: the refused writes left the device as it was.
        var device = await service.SendAsync(HttpMethod.Get, $"/devices/twin-device?{Api}", token);
        Assert.Equal("enabled", device.Body!["status"]!.GetValue<string>());
        Assert.Equal(created.Body!["etag"]!.GetValue<string>(), device.Body!["etag"]!.GetValue<string>());
    }

    [Fact]
    public async Task PoliciesGrantOnlyTheirRightsAndTokensMustBeCurrent()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "service-rights");
        using var service = new HostClient(fixture.Server, hub.HostName);
        var deviceKey = (await fixture.Client.PostAsync(hub.HubPath + "/IotHubKeys/device/listkeys", new { })).Body!["primaryKey"]!.GetValue<string>();
        var readKey = (await fixture.Client.PostAsync(hub.HubPath + "/IotHubKeys/registryRead/listkeys", new { })).Body!["primaryKey"]!.GetValue<string>();

        var deviceOnly = await service.SendAsync(HttpMethod.Get, $"/devices?{Api}", hub.ServiceToken("device", deviceKey));
        AssertError(deviceOnly, HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", "needs RegistryRead");
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/devices?{Api}", hub.ServiceToken("registryRead", readKey))).Status);
        var readOnly = await service.SendAsync(HttpMethod.Put, $"/devices/new-device?{Api}", hub.ServiceToken("registryRead", readKey), new { deviceId = "new-device" });
        AssertError(readOnly, HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", "needs RegistryWrite");
        var expired = await service.SendAsync(HttpMethod.Get, $"/devices?{Api}", hub.ServiceToken(expiry: DateTimeOffset.UtcNow.AddMinutes(-1)));
        AssertError(expired, HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", "expired");
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/devices/new-device?{Api}", hub.ServiceToken())).Status);
    }

    [Fact]
    public async Task AHubWithoutLocalAuthenticationTakesBearerTokensWithADataRoleOnly()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "service-aad", new { disableLocalAuth = true });
        using var service = new HostClient(fixture.Server, hub.HostName);
        AssertError(await service.SendAsync(HttpMethod.Get, $"/devices?{Api}", hub.ServiceToken()), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", "disableLocalAuth");

        var token = await fixture.Client.GetTokenAsync("https://iothubs.azure.net/.default");
        var bearer = "Bearer " + token;
        // The admin's roles (Owner, Azure Device Registry Contributor) reach the device registry but not twins: that needs a data role.
        var query = new { query = "SELECT * FROM devices" };
        AssertError(await service.SendAsync(HttpMethod.Post, $"/devices/query?{Api}", bearer, query), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", "IoT Hub Data Contributor");
        var created = await service.SendAsync(HttpMethod.Put, $"/devices/aad-device?{Api}", bearer, new { deviceId = "aad-device" });
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        await fixture.Client.AssignRoleAsync(hub.HubPath, Roles.IotHubDataContributor, ObjectIdOf(token));
        var twins = await service.SendAsync(HttpMethod.Post, $"/devices/query?{Api}", bearer, query);
        Assert.True(twins.Status == HttpStatusCode.OK, twins.ToString());
        Assert.Equal("aad-device", twins.Body!.AsArray().Single()!["deviceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task MethodsToOfflineOrSilentDevicesFailAsIotHubSays()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "service-methods");
        using var service = new HostClient(fixture.Server, hub.HostName);
        var created = await service.SendAsync(HttpMethod.Put, $"/devices/silent-device?{Api}", hub.ServiceToken(), new { deviceId = "silent-device" });
        var key = created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        var call = new { methodName = "reboot", payload = new { }, responseTimeoutInSeconds = 5 };

        var offline = await service.SendAsync(HttpMethod.Post, $"/twins/silent-device/methods?{Api}", hub.ServiceToken(), call);
        AssertError(offline, HttpStatusCode.NotFound, "DeviceNotOnline");
        Assert.Equal(404103, offline.Body!["errorCode"]!.GetValue<int>());

        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "silent-device", HubDeviceRefusalTests.DeviceToken(hub, "silent-device", key));
        await using (device)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
            await device.SubscribeAsync("$iothub/methods/POST/#");
            var silent = await service.SendAsync(HttpMethod.Post, $"/twins/silent-device/methods?{Api}", hub.ServiceToken(), call);
            AssertError(silent, HttpStatusCode.GatewayTimeout, "GatewayTimeout");
            var delivered = await device.NextAsync("$iothub/methods/POST/reboot/?$rid=");
            Assert.Equal("{}", Encoding.UTF8.GetString(delivered.Payload));
        }
    }

    [Fact]
    public async Task ADevicesCloudToDeviceQueueHoldsFiftyMessages()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "service-queue");
        using var service = new HostClient(fixture.Server, hub.HostName);
        await service.SendAsync(HttpMethod.Put, $"/devices/queued-device?{Api}", hub.ServiceToken(), new { deviceId = "queued-device" });
        for (var index = 0; index < 50; index++)
        {
            var sent = await service.SendAsync(HttpMethod.Post, $"/devices/queued-device/messages/deviceBound?{Api}", hub.ServiceToken(), $"\"message {index}\"");
            Assert.True(sent.Status == HttpStatusCode.NoContent, sent.ToString());
        }

        var full = await service.SendAsync(HttpMethod.Post, $"/devices/queued-device/messages/deviceBound?{Api}", hub.ServiceToken(), "\"one too many\"");
        AssertError(full, HttpStatusCode.Forbidden, "DeviceMaximumQueueDepthExceeded");
        var device = await service.SendAsync(HttpMethod.Get, $"/devices/queued-device?{Api}", hub.ServiceToken());
        Assert.Equal(50, device.Body!["cloudToDeviceMessageCount"]!.GetValue<int>());
        var purged = await service.SendAsync(HttpMethod.Delete, $"/devices/queued-device/commands?{Api}", hub.ServiceToken());
        Assert.Equal(50, purged.Body!["totalMessagesPurged"]!.GetValue<int>());
    }

    /// <summary>The principal's object id, from the token's <c>oid</c> claim.</summary>
    private static string ObjectIdOf(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(payload))!["oid"]!.GetValue<string>();
    }

    private static void AssertError(ArmResponse response, HttpStatusCode status, string code, string? text = null)
    {
        Assert.True(response.Status == status, response.ToString());
        var message = response.Body!["Message"]!.GetValue<string>();
        Assert.StartsWith($"ErrorCode:{code};", message, StringComparison.Ordinal);
        if (text is not null)
        {
            Assert.Contains(text, message, StringComparison.Ordinal);
        }
    }
}
