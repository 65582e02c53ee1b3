using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using Outpost.Core.Messaging;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Telemetry;

namespace Outpost.IotHub.CloudToDevice;

/// <summary>
/// Cloud-to-device messages: kept in the device's durable queue (at most 50, each until it expires) and published
/// on <c>devices/{id}/messages/devicebound/{bag}</c> with QoS 1 when the device is subscribed: at once if it is
/// online, otherwise when it subscribes or reconnects. The device's PUBACK completes the message (the Node SDK's
/// <c>complete()</c> is that PUBACK), so a message lost with a connection is sent again.
/// </summary>
internal sealed class CloudToDeviceDelivery(ICloudToDeviceMessages queue, DeviceConnections connections, TimeProvider time, IOptions<IotHubOptions> options)
{
    public async Task<long> SendAsync(HubInstance hub, CloudToDeviceMessage message, CancellationToken cancellationToken)
    {
        var (accepted, sequence) = await queue.EnqueueAsync(message, options.Value.MaxQueuedCloudToDeviceMessages, cancellationToken);
        if (!accepted)
        {
            throw new HubException(HubError.QueueDepthExceeded,
                $"Device '{message.DeviceId}' already has {options.Value.MaxQueuedCloudToDeviceMessages} cloud-to-device messages waiting; let it receive them, or purge its queue.");
        }

        if (connections.Find(hub.Id, message.DeviceId) is { Session.CloudToDevice: true } connection)
        {
            await DeliverPendingAsync(connection, cancellationToken);
        }

        return sequence;
    }

    /// <summary>Publishes the device's waiting messages that are not already with MQTT awaiting their PUBACK.</summary>
    public async Task DeliverPendingAsync(DeviceConnection connection, CancellationToken cancellationToken)
    {
        var pending = await queue.PendingAsync(connection.HubId, connection.DeviceId, time.GetUtcNow(), cancellationToken);
        foreach (var message in pending)
        {
            var topic = Topic(message);
            lock (connection.Session.InFlight)
            {
                if (connection.Session.InFlight.Any(entry => entry.Sequence == message.Sequence))
                {
                    continue;
                }

                connection.Session.InFlight.Add((topic, message.Sequence));
            }

            await connections.PublishAsync(connection, topic, message.Body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        }
    }

    /// <summary>The device acknowledged a message on <paramref name="topic"/>: it leaves the queue for good.</summary>
    public async Task AcknowledgedAsync(DeviceConnection connection, string topic, CancellationToken cancellationToken)
    {
        long? sequence = null;
        lock (connection.Session.InFlight)
        {
            var index = connection.Session.InFlight.FindIndex(entry => entry.Topic == topic);
            if (index >= 0)
            {
                sequence = connection.Session.InFlight[index].Sequence;
                connection.Session.InFlight.RemoveAt(index);
            }
        }

        if (sequence is { } completed)
        {
            await queue.CompleteAsync(connection.HubId, connection.DeviceId, completed, cancellationToken);
        }
    }

    /// <summary>The topic IoT Hub publishes a message on: its system properties (<c>$.mid</c>, <c>$.to</c>, …) and application properties in the bag.</summary>
    public static string Topic(CloudToDeviceMessage message)
    {
        var bag = new List<KeyValuePair<string, string?>>
        {
            new("$.mid", message.MessageId),
            new("$.to", $"/devices/{message.DeviceId}/messages/deviceBound"),
            new("$.exp", message.ExpiryTime.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
        };
        AddIfSet(bag, "$.cid", message.CorrelationId);
        AddIfSet(bag, "$.ct", message.ContentType);
        AddIfSet(bag, "$.ce", message.ContentEncoding);
        foreach (var (name, value) in JsonNode.Parse(message.Properties)?.AsObject() ?? [])
        {
            bag.Add(new(name, value?.GetValue<string>()));
        }

        return $"devices/{message.DeviceId}/messages/devicebound/{PropertyBag.Format(bag)}";
    }

    private static void AddIfSet(List<KeyValuePair<string, string?>> bag, string name, string? value)
    {
        if (value is not null)
        {
            bag.Add(new(name, value));
        }
    }
}
