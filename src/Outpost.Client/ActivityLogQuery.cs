using System.Globalization;
using System.Text.Json.Nodes;
using System.Web;

namespace Outpost.Client;

/// <summary>
/// Reading the activity log (<c>Microsoft.Insights/eventtypes/management/values</c>) page by page: the filter in the
/// pattern the API accepts, and the <c>$skipToken</c> of a page's <c>nextLink</c>, which is all the next request needs
/// (<see cref="OutpostApi.ArmAsync"/> adds the api-version itself).
/// </summary>
public sealed class ActivityLogQuery(string subscriptionId, DateTimeOffset from)
{
    private readonly List<string> conditions = [$"eventTimestamp ge '{from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}'"];

    /// <summary>Adds <c>and {name} eq '{value}'</c> when a value is given (resourceGroupName, resourceUri, correlationId).</summary>
    public ActivityLogQuery Where(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            conditions.Add($"{name} eq '{value.Replace("'", "''", StringComparison.Ordinal)}'");
        }

        return this;
    }

    /// <summary>The path of the first page, or of the page a <paramref name="skipToken"/> continues to.</summary>
    public string Path(string? skipToken = null) =>
        $"/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values?$filter={Uri.EscapeDataString(string.Join(" and ", conditions))}"
        + (skipToken is null ? string.Empty : $"&$skipToken={Uri.EscapeDataString(skipToken)}");

    /// <summary>The token for the page after <paramref name="page"/>; null on the last page.</summary>
    public static string? NextSkipToken(JsonNode? page) =>
        page?["nextLink"]?.GetValue<string>() is { } next ? HttpUtility.ParseQueryString(new Uri(next).Query)["$skipToken"] : null;
}
