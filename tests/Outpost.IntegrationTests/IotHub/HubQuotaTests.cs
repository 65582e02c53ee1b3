using System.Net;
using MQTTnet;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.IotHub;

/// <summary>A server whose hubs may take three messages a day (<c>Outpost:IotHub:DailyMessageQuota</c>), so the quota runs out in a test.</summary>
public sealed class SmallQuotaServerFixture : ServerFixture
{
    protected override string[] ExtraArguments => ["--Outpost:IotHub:DailyMessageQuota", "3"];
}

/// <summary>The daily message quota: messages beyond it are refused (the device is disconnected, IoT Hub's 403002) and not stored.</summary>
public sealed class HubQuotaTests(SmallQuotaServerFixture fixture) : IClassFixture<SmallQuotaServerFixture>
{
    [Fact]
    public async Task MessagesBeyondTheDailyQuotaAreRefusedAndNotStored()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "quota");
        using var service = new HostClient(fixture.Server, hub.HostName);
        var created = await service.SendAsync(HttpMethod.Put, "/devices/counted-device?api-version=2021-04-12", hub.ServiceToken(), new { deviceId = "counted-device" });
        var key = created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "counted-device", HubDeviceRefusalTests.DeviceToken(hub, "counted-device", key));
        await using (device)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
            for (var index = 1; index <= 3; index++)
            {
                await device.PublishAsync("devices/counted-device/messages/events/", $"reading {index}");
            }

            await Assert.ThrowsAnyAsync<Exception>(() => device.PublishAsync("devices/counted-device/messages/events/", "one too many"));
            await device.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await fixture.Server.WaitForOutputAsync("IotHubQuotaExceeded");
        var partitions = await service.SendAsync(HttpMethod.Get, "/events/partitions?api-version=2021-04-12", hub.ServiceToken());
        Assert.True(partitions.Status == HttpStatusCode.OK, partitions.ToString());
        Assert.Equal(3, partitions.Body!["messagesToday"]!.GetValue<long>());
        Assert.Equal(3, partitions.Body!["partitions"]!.AsArray().Sum(partition => partition!["lastSequenceNumber"] is { } last ? last.GetValue<long>() + 1 : 0));
    }
}
