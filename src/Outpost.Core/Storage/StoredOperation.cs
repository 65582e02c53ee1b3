namespace Outpost.Core.Storage;

/// <summary>
/// The status record of an ARM long-running operation, polled through its <c>Azure-AsyncOperation</c> and
/// <c>Location</c> URLs. <paramref name="Status"/> is one of ARM's values: Accepted, Running, Succeeded, Failed, Canceled.
/// </summary>
public sealed record StoredOperation(
    string Id,
    string ResourceId,
    string Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string? ErrorJson);
