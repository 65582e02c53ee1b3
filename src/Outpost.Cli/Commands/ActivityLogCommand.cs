using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Outpost.Cli.Output;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary>
/// <c>outpost monitor activity-log list</c>, as <c>az monitor activity-log list</c>: the subscription's management
/// operations, newest first, from <c>--offset</c> ago (default 6h) or <c>--start-time</c>, narrowed to a resource group,
/// resource or correlation id, at most <c>--max-events</c> (default 50), following the API's pages.
/// </summary>
internal static partial class ActivityLogCommand
{
    private static readonly Column[] Columns =
    [
        new("Operation", "operationName.value"), new("Status", "status.value"), new("SubStatus", "subStatus.value"),
        new("Time", "eventTimestamp"), new("ResourceGroup", "resourceGroupName"), new("Caller", "caller"),
    ];

    public static Command Create()
    {
        Option<string?> group = Verbs.Optional("--resource-group", "-g", "Only this resource group's operations.");
        Option<string?> resource = Verbs.Optional("--resource-id", "Only this resource's operations.");
        Option<string?> correlation = Verbs.Optional("--correlation-id", "Only the operation with this correlation id.");
        Option<string> offset = new("--offset") { Description = "How far back to look, such as 30m, 6h or 2d4h.", DefaultValueFactory = _ => "6h" };
        Option<DateTimeOffset?> start = new("--start-time") { Description = "Start of the window (ISO 8601); overrides --offset." };
        Option<int> maxEvents = new("--max-events") { Description = "At most this many operations.", DefaultValueFactory = _ => 50 };
        var list = Verbs.Verb("list", "List management operations, newest first.", [group, resource, correlation, offset, start, maxEvents], async context =>
        {
            var from = context.Get(start) ?? DateTimeOffset.UtcNow - Offset(context.Get(offset));
            var query = new ActivityLogQuery(context.Server.SubscriptionId, from)
                .Where("resourceGroupName", context.Get(group)).Where("resourceUri", context.Get(resource)).Where("correlationId", context.Get(correlation));
            var events = new JsonArray();
            string? skipToken = null;
            do
            {
                var page = await context.Server.ArmAsync(HttpMethod.Get, query.Path(skipToken), ApiVersions.ActivityLog, null, context.Cancellation);
                foreach (var entry in (page?["value"]?.AsArray() ?? []).Take(context.Get(maxEvents) - events.Count))
                {
                    events.Add(entry?.DeepClone());
                }

                skipToken = ActivityLogQuery.NextSkipToken(page);
            }
            while (skipToken is not null && events.Count < context.Get(maxEvents));

            return events;
        }, Columns);
        return Verbs.Group("monitor", "Monitoring.", Verbs.Group("activity-log", "The activity log of management operations.", list));
    }

    /// <summary>az's offset format: days, hours and minutes, such as <c>1d</c>, <c>6h</c>, <c>2d4h30m</c>.</summary>
    private static TimeSpan Offset(string text)
    {
        var match = OffsetFormat().Match(text);
        if (!match.Success || text.Length == 0)
        {
            throw new CliException(CliException.Usage, "InvalidArgument", $"--offset '{text}' is not a duration such as 30m, 6h or 2d4h.");
        }

        static int Part(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(match.Groups["d"]), Part(match.Groups["h"]), Part(match.Groups["m"]), 0);
    }

    [GeneratedRegex(@"^(?:(?<d>\d{1,3})d)?(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,6})m)?$")]
    private static partial Regex OffsetFormat();
}
