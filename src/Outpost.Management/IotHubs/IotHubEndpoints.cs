using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.Identity;

namespace Outpost.Management.IotHubs;

/// <summary>
/// <c>Microsoft.Devices/IotHubs</c>: create or update (a long-running operation), get, tag, delete and list. Keys of
/// the shared access policies are never in the hub's JSON; <c>listkeys</c> returns them.
/// </summary>
internal static class IotHubEndpoints
{
    public const string Item = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Devices/IotHubs/{resourceName}";

    public static void MapIotHubs(this IEndpointRouteBuilder management)
    {
        management.MapPut(Item, PutAsync);
        management.MapGet(Item, GetAsync);
        management.MapMethods(Item, [HttpMethods.Patch], PatchAsync);
        management.MapDelete(Item, DeleteAsync);
        management.MapGet("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Devices/IotHubs", ListByResourceGroupAsync);
        management.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Devices/IotHubs", ListBySubscriptionAsync);
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.IotHub, IotHubIds.Type);
        if (IotHubNames.Problem(resourceName) is { } problem)
        {
            throw new OutpostException(ErrorCode.InvalidResourceName, problem, "resourceName");
        }

        var id = IotHubIds.Hub(subscriptionId, resourceGroupName, resourceName);
        var caller = await services.Access.DemandAsync(context.User, id, "Microsoft.Devices/IotHubs/write", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        if (existing is null && await GlobalNames.IsTakenAsync(services.Store, GlobalNames.HostNames, IotHubIds.HostName(resourceName, services.Server.Value.DnsSuffix), cancellationToken))
        {
            throw new OutpostException(ErrorCode.NameUnavailable,
                $"The IoT hub name '{resourceName}' is already taken by another hub on this server; hub names are unique across every subscription and resource group.", "resourceName");
        }

        var changes = new StoreChangeSet();
        var hub = await IotHubDocument.BuildAsync(body, existing, new ResourceNameParts(id, resourceName, subscriptionId, resourceGroupName), caller, changes, services, cancellationToken);
        if (existing is null)
        {
            GlobalNames.Reserve(changes, GlobalNames.HostNames, hub["properties"]!["hostName"]!.GetValue<string>(), id);
        }

        changes.PutResource(new StoredResource(id, IotHubIds.Type, subscriptionId, resourceGroupName, null, hub.ToJsonString()), existing?.Version ?? 0);
        return await services.Operations.CommitPutAsync(context, changes, hub, created: existing is null, hub["location"]!.GetValue<string>(), cancellationToken);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        ArmJson.Ok(ArmScopes.Body(await RequireAsync(subscriptionId, resourceGroupName, resourceName, "read", context, services, cancellationToken)));

    /// <summary>PATCH changes tags only, as Azure's IotHubResource_Update does.</summary>
    private static async Task<IResult> PatchAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        await TrackedResources.PatchTagsAsync(context, await RequireAsync(subscriptionId, resourceGroupName, resourceName, "write", context, services, cancellationToken),
            "IoT hub", services, cancellationToken);

    /// <summary>Deletes the hub with its keys, certificates and identity, frees its name and unlinks it from its namespace.</summary>
    private static Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.DeleteAsync(context, services, IotHubIds.Type, ApiVersions.IotHub, IotHubIds.Hub(subscriptionId, resourceGroupName, resourceName),
            (hub, changes) => IotHubNamespaceLink.UnlinkAsync(hub, changes, services.Store, cancellationToken), cancellationToken);

    private static Task<IResult> ListByResourceGroupAsync(string subscriptionId, string resourceGroupName, HttpContext context, ManagementServices services,
        CancellationToken cancellationToken) =>
        TrackedResources.ListByResourceGroupAsync(context, services, IotHubIds.Type, ApiVersions.IotHub, subscriptionId, resourceGroupName, cancellationToken);

    private static Task<IResult> ListBySubscriptionAsync(string subscriptionId, HttpContext context, ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.ListBySubscriptionAsync(context, services, IotHubIds.Type, ApiVersions.IotHub, subscriptionId, cancellationToken);

    internal static Task<StoredResource> RequireAsync(string subscriptionId, string resourceGroupName, string resourceName, string verb, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.RequireAsync(context, services, IotHubIds.Type, ApiVersions.IotHub,
            new ResourceNameParts(IotHubIds.Hub(subscriptionId, resourceGroupName, resourceName), resourceName, subscriptionId, resourceGroupName), verb, cancellationToken);
}
