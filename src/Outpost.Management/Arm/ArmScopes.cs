using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Management.Arm;

/// <summary>Ids of the resources Outpost serves, and the existence checks that come before any work on them.</summary>
internal sealed class ArmScopes(IOutpostStore store)
{
    public static string Subscription(string subscriptionId) => $"/subscriptions/{subscriptionId}";

    public static string ResourceGroup(string subscriptionId, string resourceGroup) => $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}";

    public async Task RequireSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        if (await store.GetResourceAsync(Subscription(subscriptionId), cancellationToken) is null)
        {
            throw new OutpostException(ErrorCode.SubscriptionNotFound,
                $"The subscription '{subscriptionId}' could not be found. Use the subscriptionId from admin.json.");
        }
    }

    /// <summary>Returns the resource group, or refuses with ARM's <c>ResourceGroupNotFound</c>.</summary>
    public async Task<StoredResource> RequireResourceGroupAsync(string subscriptionId, string resourceGroup, CancellationToken cancellationToken)
    {
        await RequireSubscriptionAsync(subscriptionId, cancellationToken);
        return await store.GetResourceAsync(ResourceGroup(subscriptionId, resourceGroup), cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceGroupNotFound, $"Resource group '{resourceGroup}' could not be found.");
    }

    /// <summary>Returns a resource, or refuses with ARM's <c>ResourceNotFound</c> naming its type and name.</summary>
    public async Task<StoredResource> RequireResourceAsync(string id, string typeAndName, string resourceGroup, CancellationToken cancellationToken)
    {
        return await store.GetResourceAsync(id, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The Resource '{typeAndName}' under resource group '{resourceGroup}' was not found.");
    }

    /// <summary>Refuses a scope (subscription, resource group or resource id) that does not exist, with the ARM error for its kind.</summary>
    public async Task RequireScopeAsync(string scope, CancellationToken cancellationToken)
    {
        var segments = scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || !segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, $"'{scope}' is not a scope; expected /subscriptions/{{id}}[/resourceGroups/{{name}}[/providers/…]].");
        }

        if (segments.Length == 2)
        {
            await RequireSubscriptionAsync(segments[1], cancellationToken);
            return;
        }

        await RequireResourceGroupAsync(segments[1], segments[3], cancellationToken);
        if (segments.Length > 4 && await store.GetResourceAsync(scope, cancellationToken) is null)
        {
            throw new OutpostException(ErrorCode.ResourceNotFound, $"The scope '{scope}' does not exist: no resource has that id.");
        }
    }

    public static JsonObject Body(StoredResource resource) => JsonNode.Parse(resource.Body)!.AsObject();
}
