using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Outpost.Core.Messaging;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Devices;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Throttling;

namespace Outpost.IotHub.Telemetry;

/// <summary>
/// Takes a device-to-cloud message into the hub's event log: checks its size and the daily quota, splits its
/// property bag into system and application properties, stamps IoT Hub's system properties
/// (<c>iothub-connection-device-id</c>, <c>iothub-enqueuedtime</c>, …), picks the partition from the device id and
/// returns once the event is durable, so the device's PUBACK means the message is kept.
/// </summary>
internal sealed class TelemetryIngest(IEventLog log, DailyQuota quota, HubThrottles throttles, EventSignals signals, TimeProvider time, IOptions<IotHubOptions> options)
{
    public async Task AcceptAsync(HubInstance hub, DeviceConnection connection, string bag, byte[] payload, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxMessageBytes;
        if (payload.Length > limit)
        {
            throw new HubException(HubError.MessageTooLarge, $"The message from device '{connection.DeviceId}' is {payload.Length} bytes; IoT Hub takes at most {limit} bytes.");
        }

        if (!throttles.TryTake(hub, ThrottledOperation.DeviceToCloud))
        {
            throw new HubException(HubError.Throttled,
                $"Hub '{hub.Name}' is over its rate of device-to-cloud sends ({hub.Sku.Name}, {hub.Units} unit(s)); send more slowly, or add units.");
        }

        if (!await quota.TryTakeAsync(hub, cancellationToken))
        {
            throw new HubException(HubError.QuotaExceeded,
                $"Hub '{hub.Name}' has used its daily quota of {quota.LimitFor(hub)} messages; it resets at 00:00 UTC. Add units or choose a larger tier for more.");
        }

        var now = time.GetUtcNow();
        var properties = Properties(connection, bag, now);
        var partition = Partition(connection.DeviceId, hub.PartitionCount);
        await log.AppendAsync(new DeviceEvent(hub.Id, partition, connection.DeviceId, now, properties.ToJsonString(), payload), cancellationToken);
        signals.Appended(hub.Id, partition);
    }

    /// <summary>A stable partition per device (FNV-1a of its id), so one device's messages stay in order, as IoT Hub keeps them.</summary>
    public static int Partition(string deviceId, int partitionCount)
    {
        var hash = 2166136261u;
        foreach (var value in Encoding.UTF8.GetBytes(deviceId))
        {
            hash = (hash ^ value) * 16777619u;
        }

        return (int)(hash % (uint)partitionCount);
    }

    private static JsonObject Properties(DeviceConnection connection, string bag, DateTimeOffset now)
    {
        var system = new JsonObject();
        var application = new JsonObject();
        foreach (var (key, value) in PropertyBag.Parse(bag))
        {
            if (PropertyBag.SystemNames.TryGetValue(key, out var systemName))
            {
                system[systemName] = value;
            }
            else
            {
                application[key] = value;
            }
        }

        system["iothub-connection-device-id"] = connection.DeviceId;
        system["iothub-connection-auth-method"] = $"{{\"scope\":\"device\",\"type\":\"{connection.AuthMethod}\",\"issuer\":\"iothub\"}}";
        system["iothub-connection-auth-generation-id"] = connection.GenerationId;
        system["iothub-enqueuedtime"] = DeviceDocument.Timestamp(now);
        system["iothub-message-source"] = "Telemetry";
        return new JsonObject { ["systemProperties"] = system, ["properties"] = application };
    }
}
