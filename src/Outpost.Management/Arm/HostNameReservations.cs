using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.Management.Arm;

/// <summary>
/// Host names of hubs and DPS instances are global, as in Azure: each is reserved by a record whose id is the host
/// name, so the store's create-only check keeps two resources from ever sharing one, even when created at once.
/// </summary>
internal static class HostNameReservations
{
    public const string Type = "Outpost/hostNames";

    public static string Id(string hostName) => $"/providers/{Type}/{hostName.ToLowerInvariant()}";

    public static void Reserve(StoreChangeSet changes, string hostName, string resourceId) =>
        changes.PutResource(new StoredResource(Id(hostName), Type, string.Empty, null, null, new JsonObject { ["resourceId"] = resourceId }.ToJsonString()), expectedVersion: 0);

    public static void Release(StoreChangeSet changes, string hostName) => changes.DeleteResourceTree(Id(hostName));

    public static async Task<bool> IsTakenAsync(IOutpostStore store, string hostName, CancellationToken cancellationToken) =>
        await store.GetResourceAsync(Id(hostName), cancellationToken) is not null;

    /// <summary>Releases the host names of the hubs and DPS instances in a resource group that is being deleted.</summary>
    public static async Task ReleaseForGroupAsync(StoreChangeSet changes, IOutpostStore store, string subscriptionId, string resourceGroup, CancellationToken cancellationToken)
    {
        foreach (var type in (string[])["Microsoft.Devices/IotHubs", "Microsoft.Devices/provisioningServices"])
        {
            foreach (var resource in await store.GetResourcesAsync(new ResourceQuery(type, subscriptionId, resourceGroup), cancellationToken))
            {
                var properties = ArmScopes.Body(resource)["properties"];
                foreach (var name in (string[])["hostName", "serviceOperationsHostName"])
                {
                    if (properties?[name]?.GetValue<string>() is { } hostName)
                    {
                        Release(changes, hostName);
                    }
                }
            }
        }
    }
}
