namespace Outpost.Core.Messaging;

/// <summary>
/// The durable, partitioned log of device-to-cloud messages behind each hub's built-in events endpoint. An append
/// returns once the event is on disk; readers keep their own positions per consumer group.
/// </summary>
public interface IEventLog
{
    /// <summary>Appends the event and returns its sequence number in its partition, once it is durable.</summary>
    Task<long> AppendAsync(DeviceEvent deviceEvent, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxCount"/> events of one partition, from <paramref name="fromSequence"/> on, oldest first.</summary>
    Task<IReadOnlyList<DeviceEvent>> ReadAsync(string hubId, int partition, long fromSequence, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The first and last sequence numbers still kept in a partition, or null when it holds no event.</summary>
    Task<(long First, long Last)?> RangeAsync(string hubId, int partition, CancellationToken cancellationToken = default);

    /// <summary>How many events the hub took in since <paramref name="since"/>: what the daily quota counts after a restart.</summary>
    Task<long> CountSinceAsync(string hubId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Drops the hub's events enqueued before <paramref name="before"/> (retention), returning how many went.</summary>
    Task<int> TrimAsync(string hubId, DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Every hub that has events in the log, for retention to visit (hubs deleted since included).</summary>
    Task<IReadOnlyList<string>> HubsAsync(CancellationToken cancellationToken = default);

    Task<long?> GetCheckpointAsync(string hubId, string consumerGroup, int partition, CancellationToken cancellationToken = default);

    /// <summary>Records that the consumer group has processed its partition up to and including <paramref name="sequence"/>.</summary>
    Task SetCheckpointAsync(string hubId, string consumerGroup, int partition, long sequence, CancellationToken cancellationToken = default);
}
