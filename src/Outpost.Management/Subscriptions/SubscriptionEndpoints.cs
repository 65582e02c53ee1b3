using Microsoft.AspNetCore.Routing;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;

namespace Outpost.Management.Subscriptions;

/// <summary><c>Microsoft.Resources</c> subscriptions: the default one the bootstrap made, readable by anyone with a role in it.</summary>
internal static class SubscriptionEndpoints
{
    public static void MapSubscriptions(this IEndpointRouteBuilder management)
    {
        management.MapGet("/subscriptions", ListAsync);
        management.MapGet("/subscriptions/{subscriptionId}", GetAsync);
        management.MapGet("/subscriptions/{subscriptionId}/locations", ListLocationsAsync);
    }

    /// <summary>Subscriptions_ListLocations: the regions resources may be created in (<c>Outpost:Regions</c>), as the portal's region pickers show them.</summary>
    private static async Task<IResult> ListLocationsAsync(string subscriptionId, HttpContext context, ArmScopes scopes, AccessChecker access,
        Microsoft.Extensions.Options.IOptions<RegionOptions> regions, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, "subscriptions");
        await scopes.RequireSubscriptionAsync(subscriptionId, cancellationToken);
        await access.DemandAsync(context.User, ArmScopes.Subscription(subscriptionId), "Microsoft.Resources/subscriptions/read", cancellationToken);
        var locations = regions.Value.Effective.Select(name => new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = $"/subscriptions/{subscriptionId}/locations/{name}",
            ["name"] = name,
            ["type"] = "Region",
            ["displayName"] = name,
        }.ToJsonString());
        return ArmJson.List(locations);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, HttpContext context, ArmScopes scopes, AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, "subscriptions");
        await scopes.RequireSubscriptionAsync(subscriptionId, cancellationToken);
        var scope = ArmScopes.Subscription(subscriptionId);
        await access.DemandAsync(context.User, scope, "Microsoft.Resources/subscriptions/read", cancellationToken);
        var subscription = await store.GetResourceAsync(scope, cancellationToken);
        return ArmJson.Ok(ArmScopes.Body(subscription!));
    }

    private static async Task<IResult> ListAsync(HttpContext context, AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.Resources, "subscriptions");
        var caller = AccessChecker.RequireManagementToken(context.User);
        var visible = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var assignment in await store.GetRoleAssignmentsForPrincipalAsync(caller.ObjectId, cancellationToken))
        {
            // Scopes look like /subscriptions/{id}/...: the caller sees every subscription it holds a role in.
            var segments = assignment.Scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length >= 2 && await store.GetResourceAsync(ArmScopes.Subscription(segments[1]), cancellationToken) is { } subscription)
            {
                visible[subscription.Id] = subscription.Body;
            }
        }

        return ArmJson.List(visible.Values);
    }
}
