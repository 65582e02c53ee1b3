using System.Collections.Concurrent;

namespace Outpost.IotHub.Telemetry;

/// <summary>Wakes readers waiting on a hub partition when an event is appended to it, so following readers need no polling.</summary>
internal sealed class EventSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiting = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Completes at the next append to the partition.</summary>
    public Task NextAsync(string hubId, int partition) =>
        waiting.GetOrAdd(Key(hubId, partition), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Appended(string hubId, int partition)
    {
        if (waiting.TryRemove(Key(hubId, partition), out var signal))
        {
            signal.TrySetResult();
        }
    }

    private static string Key(string hubId, int partition) => $"{hubId}|{partition}";
}
