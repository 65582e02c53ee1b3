using System.Text.Json.Nodes;
using Outpost.IotHub.Devices;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Twins;

namespace Outpost.IotHub.Tests.Twins;

public sealed class TwinDocumentTests
{
    [Fact]
    public void ReportedPatchesMergeDeleteWithNullAndBumpVersions()
    {
        var device = Device();
        Assert.Equal(2, TwinDocument.PatchReported(device, JsonNode.Parse("""{"firmware":"1.0","network":{"ssid":"a","rssi":-40}}""")));
        Assert.Equal(3, TwinDocument.PatchReported(device, JsonNode.Parse("""{"network":{"rssi":null},"firmware":"1.1"}""")));

        var forDevice = TwinDocument.ForDevice(device);
        Assert.Equal("""{"firmware":"1.1","network":{"ssid":"a"},"$version":3}""", forDevice["reported"]!.ToJsonString());
        Assert.Equal(3, TwinDocument.Version(device.Body["twin"]!.AsObject()));
        Assert.Equal("AAAAAAAAAAM=", TwinDocument.Etag(device.Body["twin"]!.AsObject()));
    }

    [Fact]
    public void ServicePatchesReturnTheDesiredPatchDevicesAreTold()
    {
        var device = Device();
        var patch = TwinDocument.PatchFromService(device, JsonNode.Parse("""{"tags":{"site":"north"},"properties":{"desired":{"interval":30}}}""")!.AsObject(), replace: false);
        Assert.Equal("""{"interval":30,"$version":2}""", patch!.ToJsonString());
        Assert.Null(TwinDocument.PatchFromService(device, JsonNode.Parse("""{"tags":{"floor":3}}""")!.AsObject(), replace: false));
        Assert.Equal("""{"site":"north","floor":3}""", TwinDocument.ToWire(device, connected: false)["tags"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"properties":{"reported":{"x":1}}}""", "written by the device only")]
    [InlineData("""{"tags":{"a.b":1}}""", "'a.b'")]
    [InlineData("""{"tags":{"$x":1}}""", "'$x'")]
    [InlineData("""{"tags":"flat"}""", "tags must be a JSON object")]
    public void ServicePatchesBreakingTwinRulesAreRefused(string patch, string expected)
    {
        var refused = Assert.Throws<HubException>(() => TwinDocument.PatchFromService(Device(), JsonNode.Parse(patch)!.AsObject(), replace: false));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwinsAreHeldToIotHubsSizeAndDepthLimits()
    {
        var large = new JsonObject { ["blob"] = new string('x', 33 * 1024) };
        Assert.Contains("32 KB", Assert.Throws<HubException>(() => TwinDocument.PatchReported(Device(), large)).Message, StringComparison.Ordinal);

        JsonNode deep = new JsonObject { ["leaf"] = 1 };
        for (var level = 0; level < 10; level++)
        {
            deep = new JsonObject { [$"level{level}"] = deep };
        }

        Assert.Contains("deeper than 10", Assert.Throws<HubException>(() => TwinDocument.PatchReported(Device(), deep)).Message, StringComparison.Ordinal);
    }

    private static DeviceRecord Device() => new("/hub/devices/d1", new JsonObject { ["deviceId"] = "d1", ["twin"] = TwinDocument.Empty() }, 1);
}
