namespace Outpost.Core.Messaging;

/// <summary>
/// One device-to-cloud message in a hub's built-in event log. <paramref name="Properties"/> is a JSON object of the
/// message's system and application properties, as readers get them back.
/// </summary>
/// <param name="Sequence">The event's position in its partition, from 0; assigned when it is appended.</param>
public sealed record DeviceEvent(string HubId, int Partition, string DeviceId, DateTimeOffset EnqueuedTime, string Properties, byte[] Body, long Sequence = -1);
