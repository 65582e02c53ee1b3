using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;

namespace Outpost.Management.ActivityLog;

/// <summary>
/// ActivityLogs_List (<c>Microsoft.Insights</c>, api-version 2015-04-01): a subscription's management operations,
/// newest first, paged with <c>nextLink</c>. Reading needs <c>Microsoft.Insights/eventtypes/values/read</c> (Reader
/// has it) at the narrowest scope the filter names, so a principal with a role on one resource group can read that
/// group's activity.
/// </summary>
internal static class ActivityLogEndpoints
{
    public const string ApiVersion = "2015-04-01";

    private const string ReadAction = "Microsoft.Insights/eventtypes/values/read";

    public static void MapActivityLog(this IEndpointRouteBuilder management) =>
        management.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values", ListAsync);

    private static async Task<IResult> ListAsync(string subscriptionId, HttpContext context, ArmScopes scopes, AccessChecker access, IOutpostStore store,
        TimeProvider timeProvider, IOptions<ActivityLogOptions> options, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, [ApiVersion], "eventtypes");
        var filter = ActivityFilter.Parse(context.Request.Query["$filter"], timeProvider.GetUtcNow());
        var select = Selection(context.Request.Query["$select"]);
        await scopes.RequireSubscriptionAsync(subscriptionId, cancellationToken);
        await access.DemandAsync(context.User, Scope(subscriptionId, filter), ReadAction, cancellationToken);

        var pageSize = Math.Max(1, options.Value.PageSize);
        var entries = await store.GetActivityAsync(new ActivityQuery(subscriptionId, filter.From, filter.To, pageSize + 1, filter.ResourceGroup,
            filter.ResourceUri, filter.ResourceProvider, filter.CorrelationId, SkipToken(context.Request.Query["$skipToken"])), cancellationToken);
        var page = new JsonObject { ["value"] = new JsonArray([.. entries.Take(pageSize).Select(entry => (JsonNode)Project(entry.Body, select))]) };
        if (entries.Count > pageSize)
        {
            var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value);
            query["$skipToken"] = entries[pageSize - 1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
            page["nextLink"] = QueryHelpers.AddQueryString(
                $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}", query);
        }

        return ArmJson.Ok(page);
    }

    /// <summary>The resource, else the resource group, else the subscription: where the caller must be allowed to read.</summary>
    private static string Scope(string subscriptionId, ActivityFilter filter)
    {
        var subscription = ArmScopes.Subscription(subscriptionId);
        if (filter.ResourceUri is { } uri)
        {
            return uri.StartsWith(subscription + "/", StringComparison.OrdinalIgnoreCase) || uri.Equals(subscription, StringComparison.OrdinalIgnoreCase)
                ? uri
                : throw new OutpostException(ErrorCode.InvalidParameter,
                    $"The $filter's resourceUri '{uri}' is not in subscription '{subscriptionId}'. Give a resource id that starts with '{subscription}/'.", "$filter");
        }

        return filter.ResourceGroup is { } group ? ArmScopes.ResourceGroup(subscriptionId, group) : subscription;
    }

    private static long? SkipToken(string? token) =>
        string.IsNullOrEmpty(token) ? null
        : long.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence) ? sequence
        : throw new OutpostException(ErrorCode.InvalidParameter, $"The $skipToken '{token}' was not issued by this server. Follow the nextLink of the previous page.", "$skipToken");

    /// <summary>The top-level properties <c>$select</c> names, checked against those an event has; null means all.</summary>
    private static HashSet<string>? Selection(string? select)
    {
        if (string.IsNullOrWhiteSpace(select))
        {
            return null;
        }

        var names = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = names.Where(name => !EventProperties.Contains(name)).ToList();
        return unknown.Count == 0
            ? names
            : throw new OutpostException(ErrorCode.InvalidParameter,
                $"$select names {string.Join(", ", unknown.Select(name => $"'{name}'"))}, which events do not have. Choose from: {string.Join(", ", EventProperties)}.", "$select");
    }

    private static JsonObject Project(string body, HashSet<string>? select)
    {
        var entry = JsonNode.Parse(body)!.AsObject();
        if (select is not null)
        {
            foreach (var name in entry.Select(property => property.Key).Where(name => !select.Contains(name)).ToList())
            {
                entry.Remove(name);
            }
        }

        return entry;
    }

    private static readonly string[] EventProperties =
    [
        "authorization", "caller", "category", "channels", "claims", "correlationId", "description", "eventDataId", "eventName", "eventTimestamp",
        "httpRequest", "id", "level", "operationId", "operationName", "properties", "resourceGroupName", "resourceId", "resourceProviderName",
        "resourceType", "status", "subStatus", "submissionTimestamp", "subscriptionId", "tenantId",
    ];
}
