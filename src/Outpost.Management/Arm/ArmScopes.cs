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

    public static JsonObject Body(StoredResource resource) => JsonNode.Parse(resource.Body)!.AsObject();
}
