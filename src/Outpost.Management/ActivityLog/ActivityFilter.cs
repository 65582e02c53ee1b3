using System.Globalization;
using System.Text.RegularExpressions;
using Outpost.Core.Errors;

namespace Outpost.Management.ActivityLog;

/// <summary>
/// The activity log's <c>$filter</c>, which Azure restricts to a few patterns: <c>eventTimestamp ge '…'</c> (required),
/// optionally <c>and eventTimestamp le '…'</c> (default: now), and any of <c>resourceGroupName</c>, <c>resourceUri</c>,
/// <c>resourceProvider</c> and <c>correlationId</c> with <c>eq</c>, joined by <c>and</c>. Anything else is refused
/// with the patterns that are understood.
/// </summary>
internal sealed partial record ActivityFilter(DateTimeOffset From, DateTimeOffset To, string? ResourceGroup, string? ResourceUri, string? ResourceProvider, string? CorrelationId)
{
    private const string Example = "eventTimestamp ge '2026-11-01T00:00:00Z' and eventTimestamp le '2026-11-02T00:00:00Z' and resourceGroupName eq 'my-group'";

    public static ActivityFilter Parse(string? filter, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            throw Refuse($"The $filter query parameter is required and must give at least the start time, for example $filter={Example}.");
        }

        DateTimeOffset? from = null, to = null;
        string? group = null, uri = null, provider = null, correlation = null;
        var position = 0;
        foreach (Match clause in Clause().Matches(filter))
        {
            if (clause.Index != position)
            {
                break;
            }

            position = clause.Index + clause.Length;
            var field = clause.Groups["field"].Value;
            var op = clause.Groups["op"].Value.ToLowerInvariant();
            var value = clause.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            switch (field.ToLowerInvariant(), op)
            {
                case ("eventtimestamp", "ge"):
                    from = Time(value);
                    break;
                case ("eventtimestamp", "le"):
                    to = Time(value);
                    break;
                case ("resourcegroupname", "eq"):
                    group = value;
                    break;
                case ("resourceuri", "eq") or ("resourceid", "eq"):
                    uri = value;
                    break;
                case ("resourceprovider", "eq"):
                    provider = value;
                    break;
                case ("correlationid", "eq"):
                    correlation = value;
                    break;
                default:
                    throw Refuse($"The $filter condition '{clause.Value.Trim()}' is not supported. Use eventTimestamp with ge and le, and resourceGroupName, resourceUri, resourceProvider or correlationId with eq.");
            }
        }

        if (position != filter.Length)
        {
            throw Refuse($"The $filter could not be read from position {position}: '{filter[position..]}'. Write conditions as name op 'value' joined by 'and', for example {Example}.");
        }

        if (from is null)
        {
            throw Refuse($"The $filter must give the start time as eventTimestamp ge '<ISO 8601 time>', for example {Example}.");
        }

        var end = to ?? now;
        return end < from
            ? throw Refuse($"The $filter's end time {end:O} is before its start time {from:O}.")
            : new ActivityFilter(from.Value, end, group, uri, provider, correlation);
    }

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Refuse($"'{value}' in the $filter is not a time. Give eventTimestamp as ISO 8601, such as '2026-11-01T00:00:00Z'.");

    private static OutpostException Refuse(string message) => new(ErrorCode.InvalidParameter, message, "$filter");

    [GeneratedRegex(@"\G\s*(?<field>[A-Za-z]+)\s+(?<op>[A-Za-z]+)\s+'(?<value>(?:[^']|'')*)'\s*(?:and\b\s*|$)", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();
}
