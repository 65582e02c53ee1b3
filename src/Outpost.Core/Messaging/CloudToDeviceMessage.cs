namespace Outpost.Core.Messaging;

/// <summary>
/// One cloud-to-device message waiting in a device's queue. <paramref name="Properties"/> is a JSON object of its
/// application properties; <paramref name="MessageId"/>, <paramref name="CorrelationId"/> and the rest travel as
/// the system properties IoT Hub puts in the topic's property bag.
/// </summary>
/// <param name="Sequence">The message's place in the hub's queues; assigned when it is enqueued.</param>
public sealed record CloudToDeviceMessage(
    string HubId,
    string DeviceId,
    string MessageId,
    string? CorrelationId,
    string? ContentType,
    string? ContentEncoding,
    DateTimeOffset EnqueuedTime,
    DateTimeOffset ExpiryTime,
    string Properties,
    byte[] Body,
    long Sequence = 0);
