using Microsoft.Extensions.Options;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Identity;

namespace Outpost.Management.ActivityLog;

/// <summary>
/// Appends every authenticated management write to the activity log, whatever its outcome. The entry is committed
/// just before the response starts, so a client that has its answer finds the entry already there; a write that was
/// committed but whose entry could not be (the disk failing in between) is logged as a server error rather than
/// turned into a failed response, since the write itself stands.
/// </summary>
internal sealed partial class ActivityRecorder(IOutpostStore store, ServerIdentity identity, TimeProvider timeProvider,
    IOptions<ActivityLogOptions> options, ILogger<ActivityRecorder> logger)
{
    private const string CorrelationHeader = "x-ms-correlation-request-id";

    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private long nextPruneTicks;

    /// <summary>Registers the entry for a write under <c>/subscriptions/…</c>; other requests pass untouched.</summary>
    public void Watch(HttpContext context)
    {
        var operation = ArmOperation.From(context.Request.Method, context.Request.Path.Value ?? string.Empty);
        if (operation is null)
        {
            return;
        }

        // ARM keeps a correlation id the client sends and makes one otherwise; either way the response carries it.
        var correlationId = Guid.TryParse(context.Request.Headers[CorrelationHeader].ToString(), out var sent) ? sent.ToString() : Guid.NewGuid().ToString();
        context.Response.OnStarting(() => RecordAsync(context, operation, correlationId));
    }

    private async Task RecordAsync(HttpContext context, ArmOperation operation, string correlationId)
    {
        context.Response.Headers[CorrelationHeader] = correlationId;
        var caller = ArmCaller.From(context.User);
        if (caller.ObjectId.Length == 0)
        {
            return; // Not signed in: refused before it could do anything, and Azure logs no anonymous calls either.
        }

        try
        {
            var now = timeProvider.GetUtcNow();
            var principal = await store.GetPrincipalAsync(caller.ObjectId, CancellationToken.None);
            var body = ActivityEvent.Create(operation, context, caller, principal?.DisplayName, identity.TenantId, correlationId, now);
            var changes = new StoreChangeSet().AppendActivity(new ActivityRecord(operation.SubscriptionId, operation.ResourceGroup, operation.ResourceId,
                operation.ResourceProvider, correlationId, now, body.ToJsonString(ArmJson.WriteOptions)));
            if (now.UtcTicks >= Interlocked.Read(ref nextPruneTicks))
            {
                Interlocked.Exchange(ref nextPruneTicks, (now + PruneInterval).UtcTicks);
                changes.PruneActivity(now.AddDays(-options.Value.RetentionDays));
            }

            await store.CommitAsync(changes, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogNotRecorded(logger, exception, context.Request.Method, operation.ResourceId, correlationId);
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Error, EventName = "ActivityNotRecorded",
        Message = "The activity log entry for {Method} {ResourceId} (correlation {CorrelationId}) could not be stored")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string method, string resourceId, string correlationId);
}
