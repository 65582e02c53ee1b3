using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Outpost.Core.Messaging;
using Outpost.IotHub.Hubs;

namespace Outpost.IotHub.Telemetry;

/// <summary>
/// The daily message quota of a hub's tier (units × the tier's messages per unit), or
/// <c>Outpost:IotHub:DailyMessageQuota</c> when set. It resets at UTC midnight, as IoT Hub's does. The count of the day
/// so far starts from the event log, so a restart does not hand out a fresh quota.
/// </summary>
internal sealed class DailyQuota(IEventLog log, TimeProvider time, IOptions<IotHubOptions> options)
{
    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.OrdinalIgnoreCase);

    public long LimitFor(HubInstance hub) => options.Value.DailyMessageQuota is > 0 and var configured ? configured : hub.DailyMessageQuota;

    /// <summary>Takes one message from today's quota; false when the quota is used up.</summary>
    public async Task<bool> TryTakeAsync(HubInstance hub, CancellationToken cancellationToken)
    {
        var today = time.GetUtcNow().UtcDateTime.Date;
        var counter = counters.GetOrAdd(hub.Id, _ => new Counter());
        if (counter.Day != today)
        {
            // Two first messages of the day may both count; the later one simply writes the same figure again.
            var used = await log.CountSinceAsync(hub.Id, new DateTimeOffset(today, TimeSpan.Zero), cancellationToken);
            lock (counter)
            {
                if (counter.Day != today)
                {
                    counter.Used = used;
                    counter.Day = today;
                }
            }
        }

        if (Interlocked.Increment(ref counter.Used) <= LimitFor(hub))
        {
            return true;
        }

        Interlocked.Decrement(ref counter.Used);
        return false;
    }

    public long UsedToday(HubInstance hub) =>
        counters.TryGetValue(hub.Id, out var counter) && counter.Day == time.GetUtcNow().UtcDateTime.Date ? Interlocked.Read(ref counter.Used) : 0;

    private sealed class Counter
    {
        public long Used;
        public DateTime Day = DateTime.MinValue;
    }
}
