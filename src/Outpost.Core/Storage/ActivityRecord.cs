namespace Outpost.Core.Storage;

/// <summary>
/// One entry of a subscription's activity log: a management write (PUT, PATCH, POST action, DELETE) and how it ended.
/// <paramref name="Body"/> is the event as the activity-log API returns it; the other fields are what queries filter on.
/// Appended once, never changed, removed only by retention.
/// </summary>
public sealed record ActivityRecord(
    string SubscriptionId,
    string? ResourceGroup,
    string ResourceId,
    string ResourceProvider,
    string CorrelationId,
    DateTimeOffset Timestamp,
    string Body);

/// <summary>
/// A page of activity, newest first. Each optional filter narrows it; <paramref name="Before"/> continues a previous
/// page (the <see cref="StoredActivity.Sequence"/> of its last entry).
/// </summary>
public sealed record ActivityQuery(
    string SubscriptionId,
    DateTimeOffset From,
    DateTimeOffset To,
    int Limit,
    string? ResourceGroup = null,
    string? ResourceId = null,
    string? ResourceProvider = null,
    string? CorrelationId = null,
    long? Before = null);

/// <summary>A stored activity entry with its place in the log, for continuation.</summary>
public sealed record StoredActivity(long Sequence, string Body);
