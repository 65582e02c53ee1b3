using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Outpost.IotHub.Hubs;

namespace Outpost.IotHub.Throttling;

/// <summary>The operations IoT Hub throttles per hub, with their rates per unit of each tier.</summary>
internal sealed record ThrottledOperation(string Name, TimeSpan Window, Func<string, int, double> Allowance)
{
    /// <summary>Device-to-cloud sends a second: the higher of 100 or 12 per unit (S1, B1, F1, GEN2), 120 per unit (S2/B2), 6,000 per unit (S3/B3).</summary>
    public static readonly ThrottledOperation DeviceToCloud = new("device-to-cloud sends", TimeSpan.FromSeconds(1), PerSecond);

    /// <summary>Device connections a second: the same rates as sends.</summary>
    public static readonly ThrottledOperation DeviceConnections = new("device connections", TimeSpan.FromSeconds(1), PerSecond);

    /// <summary>Identity registry operations a minute: 100 per unit (5,000 per unit on S3).</summary>
    public static readonly ThrottledOperation RegistryOperations = new("identity registry operations", TimeSpan.FromMinutes(1),
        (sku, units) => (sku is "S3" or "B3" ? 5_000 : 100) * units);

    private static double PerSecond(string sku, int units) => sku switch
    {
        "S2" or "B2" => 120 * units,
        "S3" or "B3" => 6_000 * units,
        _ => Math.Max(100, 12 * units),
    };
}

/// <summary>
/// IoT Hub's per-tier throttles as token buckets per hub and operation, holding one window's allowance. Enabled by
/// default like IoT Hub's; <c>Outpost:IotHub:Throttling:Enabled=false</c> turns them off (load tests, benchmarks) and
/// <c>Outpost:IotHub:Throttling:Multiplier</c> scales every allowance.
/// </summary>
internal sealed class HubThrottles(TimeProvider time, IOptions<IotHubOptions> options)
{
    private readonly ConcurrentDictionary<(string Hub, string Operation), Bucket> buckets = new();

    /// <summary>Takes one operation from the hub's allowance; false when the hub is over its rate.</summary>
    public bool TryTake(HubInstance hub, ThrottledOperation operation)
    {
        var settings = options.Value.Throttling;
        if (!settings.Enabled)
        {
            return true;
        }

        var capacity = operation.Allowance(hub.Sku.Name, hub.Units) * settings.Multiplier;
        var bucket = buckets.GetOrAdd((hub.Id, operation.Name), _ => new Bucket(capacity, time.GetTimestamp()));
        lock (bucket)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(bucket.Refilled, now);
            bucket.Tokens = Math.Min(capacity, bucket.Tokens + (capacity * elapsed.TotalSeconds / operation.Window.TotalSeconds));
            bucket.Refilled = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket(double tokens, long refilled)
    {
        public double Tokens { get; set; } = tokens;

        public long Refilled { get; set; } = refilled;
    }
}
