namespace Outpost.Core.Storage;

/// <summary>
/// The status record of an ARM long-running operation, polled through its <c>Azure-AsyncOperation</c> and
/// <c>Location</c> URLs. <paramref name="Status"/> is one of ARM's values: Accepted, Running, Succeeded, Failed, Canceled.
/// <paramref name="ResultJson"/> holds what the operation produced when its status resource carries a result (an
/// issued certificate chain, for one); <paramref name="ErrorJson"/> the ARM error object when it failed.
/// </summary>
public sealed record StoredOperation(
    string Id,
    string ResourceId,
    string Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string? ErrorJson,
    string? ResultJson = null);
