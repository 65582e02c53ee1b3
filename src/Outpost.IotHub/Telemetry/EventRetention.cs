using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Outpost.Core.Messaging;
using Outpost.IotHub.Hubs;

namespace Outpost.IotHub.Telemetry;

/// <summary>
/// Keeps each hub's event log within its retention (<c>eventHubEndpoints.events.retentionTimeInDays</c>, 1 to 7 days):
/// at start and then every <c>Outpost:IotHub:RetentionSweepMinutes</c> it drops older events, all events of hubs that
/// no longer exist, and expired cloud-to-device messages (readers already skip those; this reclaims the space).
/// </summary>
internal sealed partial class EventRetention(IEventLog log, ICloudToDeviceMessages messages, HubInstances hubs, TimeProvider time, IOptions<IotHubOptions> options, ILogger<EventRetention> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionSweepMinutes), time);
        do
        {
            await SweepAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var hubId in await log.HubsAsync(cancellationToken))
        {
            var hub = await hubs.ByIdAsync(hubId, cancellationToken);
            var before = hub is null ? DateTimeOffset.MaxValue : time.GetUtcNow().AddDays(-hub.RetentionDays);
            var dropped = await log.TrimAsync(hubId, before, cancellationToken);
            if (dropped > 0)
            {
                LogTrimmed(logger, dropped, hub?.Name ?? hubId, hub is null ? "the hub no longer exists" : $"older than {hub.RetentionDays} day(s)");
            }
        }

        await messages.DropExpiredAsync(time.GetUtcNow(), cancellationToken);
    }

    [LoggerMessage(EventId = 1220, Level = LogLevel.Information, EventName = "EventsTrimmed", Message = "Dropped {Count} events of hub {Hub}: {Reason}")]
    private static partial void LogTrimmed(ILogger logger, int count, string hub, string reason);
}
