using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.Throttling;

namespace Outpost.IotHub.Tests.Throttling;

public sealed class HubThrottlesTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AnS1HubTakesAHundredSendsASecondAndRefillsOverTime()
    {
        var throttles = new HubThrottles(time, Options.Create(new IotHubOptions()));
        var hub = Hub("S1", 1);
        Assert.Equal(100, Enumerable.Range(0, 150).Count(_ => throttles.TryTake(hub, ThrottledOperation.DeviceToCloud)));
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(10, Enumerable.Range(0, 50).Count(_ => throttles.TryTake(hub, ThrottledOperation.DeviceToCloud)));
    }

    [Fact]
    public void RatesFollowTheTierAndUnitsAndMayBeScaledOrTurnedOff()
    {
        var throttles = new HubThrottles(time, Options.Create(new IotHubOptions()));
        Assert.Equal(240, Enumerable.Range(0, 500).Count(_ => throttles.TryTake(Hub("S2", 2), ThrottledOperation.DeviceToCloud)));
        Assert.Equal(300, Enumerable.Range(0, 500).Count(_ => throttles.TryTake(Hub("S1", 3, "other"), ThrottledOperation.RegistryOperations)));

        var scaled = new HubThrottles(time, Options.Create(new IotHubOptions { Throttling = new ThrottlingOptions { Multiplier = 0.5 } }));
        Assert.Equal(50, Enumerable.Range(0, 500).Count(_ => scaled.TryTake(Hub("S1", 1), ThrottledOperation.DeviceConnections)));

        var off = new HubThrottles(time, Options.Create(new IotHubOptions { Throttling = new ThrottlingOptions { Enabled = false } }));
        Assert.Equal(500, Enumerable.Range(0, 500).Count(_ => off.TryTake(Hub("F1", 1), ThrottledOperation.DeviceToCloud)));
    }

    private static HubInstance Hub(string sku, int units, string name = "hub") =>
        new($"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Devices/IotHubs/{name}-{sku}-{units}", name, $"{name}.example",
            new JsonObject { ["sku"] = new JsonObject { ["name"] = sku, ["capacity"] = units } });
}
