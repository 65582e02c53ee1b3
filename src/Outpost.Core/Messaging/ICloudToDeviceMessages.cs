namespace Outpost.Core.Messaging;

/// <summary>
/// Durable per-device queues of cloud-to-device messages. A message stays until the device acknowledges it, it
/// expires, or the queue is purged; an enqueue returns once the message is on disk.
/// </summary>
public interface ICloudToDeviceMessages
{
    /// <summary>Adds the message unless the device already has <paramref name="maxDepth"/> waiting; false when full.</summary>
    Task<(bool Accepted, long Sequence)> EnqueueAsync(CloudToDeviceMessage message, int maxDepth, CancellationToken cancellationToken = default);

    /// <summary>The device's messages that have not expired at <paramref name="now"/>, oldest first. Reading writes nothing.</summary>
    Task<IReadOnlyList<CloudToDeviceMessage>> PendingAsync(string hubId, string deviceId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>How many of the device's messages have not expired at <paramref name="now"/>.</summary>
    Task<int> CountAsync(string hubId, string deviceId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes every expired message of every device (a periodic sweep); returns how many went.</summary>
    Task<int> DropExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes a delivered message; false when it was already gone.</summary>
    Task<bool> CompleteAsync(string hubId, string deviceId, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Empties the device's queue and returns how many messages it held.</summary>
    Task<int> PurgeAsync(string hubId, string deviceId, CancellationToken cancellationToken = default);
}
