using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.Management.Arm;

/// <summary>
/// Names that are unique across the whole server, as in Azure: host names of hubs and DPS instances, and DPS ID
/// scopes. Each is reserved by a record whose id is the name, so the store's create-only check keeps two resources
/// from ever sharing one, even when both are created at the same moment.
/// </summary>
internal static class GlobalNames
{
    public const string HostNames = GlobalNameIds.HostNames;
    public const string IdScopes = GlobalNameIds.IdScopes;

    public static string Id(string kind, string name) => GlobalNameIds.Id(kind, name);

    public static void Reserve(StoreChangeSet changes, string kind, string name, string resourceId) =>
        changes.PutResource(new StoredResource(Id(kind, name), $"Outpost/{kind}", string.Empty, null, null, new JsonObject { ["resourceId"] = resourceId }.ToJsonString()),
            expectedVersion: 0);

    public static void Release(StoreChangeSet changes, string kind, string name) => changes.DeleteResourceTree(Id(kind, name));

    public static async Task<bool> IsTakenAsync(IOutpostStore store, string kind, string name, CancellationToken cancellationToken) =>
        await store.GetResourceAsync(Id(kind, name), cancellationToken) is not null;

    /// <summary>The id of the resource holding a name, or null when it is free.</summary>
    public static Task<string?> OwnerAsync(IOutpostStore store, string kind, string name, CancellationToken cancellationToken) =>
        GlobalNameIds.OwnerAsync(store, kind, name, cancellationToken);

    /// <summary>Releases the names held by the hubs and DPS instances of a resource group that is being deleted.</summary>
    public static async Task ReleaseForGroupAsync(StoreChangeSet changes, IOutpostStore store, string subscriptionId, string resourceGroup, CancellationToken cancellationToken)
    {
        foreach (var type in (string[])["Microsoft.Devices/IotHubs", "Microsoft.Devices/provisioningServices"])
        {
            foreach (var resource in await store.GetResourcesAsync(new ResourceQuery(type, subscriptionId, resourceGroup), cancellationToken))
            {
                ReleaseFor(changes, ArmScopes.Body(resource));
            }
        }
    }

    /// <summary>Releases every global name a hub or DPS instance holds.</summary>
    public static void ReleaseFor(StoreChangeSet changes, JsonObject resource)
    {
        var properties = resource["properties"];
        foreach (var name in (string[])["hostName", "serviceOperationsHostName"])
        {
            if (properties?[name]?.GetValue<string>() is { } hostName)
            {
                Release(changes, HostNames, hostName);
            }
        }

        if (properties?["idScope"]?.GetValue<string>() is { } idScope)
        {
            Release(changes, IdScopes, idScope);
        }
    }
}
