using System.Net;
using MQTTnet;
using Outpost.IntegrationTests.IotHub;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Reliability;

/// <summary>
/// A persistent MQTT session (CleanSession=0) outlives a server restart, as IoT Hub's does: the SDKs subscribe once and
/// never again while they reconnect, so after a restart their methods and cloud-to-device messages must still arrive.
/// </summary>
public sealed class SessionPersistenceTests
{
    [Fact]
    public async Task SubscriptionsSurviveARestart()
    {
        var server = await OutpostServer.StartAsync();
        HubSetup hub;
        string key;
        using (var client = new ManagementClient(server))
        {
            await client.SignInAsync();
            hub = await HubSetup.CreateAsync(client, "sessions");
            using var service = new HostClient(server, hub.HostName);
            var created = await service.SendAsync(HttpMethod.Put, "/devices/loyal-device?api-version=2021-04-12", hub.ServiceToken(), new { deviceId = "loyal-device" });
            key = created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        }

        var (first, result) = await HubDeviceClient.ConnectAsync(server, hub.HostName, "loyal-device", HubDeviceRefusalTests.DeviceToken(hub, "loyal-device", key));
        await using (first)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
            await first.SubscribeAsync("$iothub/methods/POST/#");
            await first.SubscribeAsync("devices/loyal-device/messages/devicebound/#");
        }

        await server.StopAsync();
        await using var restarted = await OutpostServer.StartAsync(server.DataDirectory);
        var (again, againResult) = await HubDeviceClient.ConnectAsync(restarted, hub.HostName, "loyal-device", HubDeviceRefusalTests.DeviceToken(hub, "loyal-device", key));
        await using (again)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, againResult);
            using var service = new HostClient(restarted, hub.HostName);
            var sent = await service.SendAsync(HttpMethod.Post, "/devices/loyal-device/messages/deviceBound?api-version=2021-04-12", hub.ServiceToken(), "\"after the restart\"");
            Assert.Equal(HttpStatusCode.NoContent, sent.Status);
            await again.NextAsync("devices/loyal-device/messages/devicebound/");

            var call = service.SendAsync(HttpMethod.Post, "/twins/loyal-device/methods?api-version=2021-04-12", hub.ServiceToken(),
                new { methodName = "wake", payload = new { }, responseTimeoutInSeconds = 5 });
            await again.NextAsync("$iothub/methods/POST/wake/");
            Assert.Equal(HttpStatusCode.GatewayTimeout, (await call).Status);
        }

        await restarted.StopAsync();
    }
}
