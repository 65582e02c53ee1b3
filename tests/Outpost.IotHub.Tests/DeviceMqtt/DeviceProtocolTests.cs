using Outpost.IotHub.DeviceMqtt;
using Outpost.IotHub.Devices;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Telemetry;

namespace Outpost.IotHub.Tests.DeviceMqtt;

public sealed class DeviceProtocolTests
{
    [Theory]
    [InlineData("hub.example/dev1/?api-version=2021-04-12&DeviceClientType=x", "hub.example", "dev1", null)]
    [InlineData("hub.example:8883/dev1/?api-version=2021-04-12", "hub.example:8883", "dev1", null)]
    [InlineData("hub.example/dev1/mod1/?api-version=2021-04-12", "hub.example", "dev1", "mod1")]
    public void HubUserNamesAreParsedAsTheSdkWritesThem(string userName, string host, string device, string? module)
    {
        var user = HubMqttUser.Parse(userName);
        Assert.Equal(new HubMqttUser(host, device, module), user);
    }

    [Theory]
    [InlineData("0ne00000001/registrations/dev1/api-version=2019-03-31")]
    [InlineData("just-a-name")]
    [InlineData(null)]
    public void OtherUserNamesAreNotHubDevices(string? userName) => Assert.Null(HubMqttUser.Parse(userName));

    [Fact]
    public void PropertyBagsSplitSystemAndApplicationPropertiesAndDecode()
    {
        var bag = PropertyBag.Parse("%24.mid=m-1&%24.ct=application%2Fjson&alert=hi%20there&flag&empty=");
        Assert.Equal(["$.mid", "$.ct", "alert", "flag", "empty"], bag.Select(pair => pair.Key));
        Assert.Equal(["m-1", "application/json", "hi there", null, ""], bag.Select(pair => pair.Value));
        Assert.Equal("%24.to=%2Fdevices%2Fd1&k=v%201", PropertyBag.Format([new("$.to", "/devices/d1"), new("k", "v 1")]));
    }

    [Fact]
    public void ADevicesPartitionIsStable()
    {
        Assert.Equal(TelemetryIngest.Partition("sensor-1", 4), TelemetryIngest.Partition("sensor-1", 4));
        Assert.InRange(TelemetryIngest.Partition("sensor-2", 4), 0, 3);
        Assert.Equal(4, Enumerable.Range(0, 100).Select(index => TelemetryIngest.Partition($"device-{index}", 4)).Distinct().Count());
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("wild+card")]
    [InlineData("hash#")]
    [InlineData("")]
    [InlineData("ünicode")]
    public void DeviceIdsThatBreakTopicsAreRefused(string id) =>
        Assert.Equal(HubError.ArgumentInvalid, Assert.Throws<HubException>(() => DeviceIds.Require(id)).Error);
}
