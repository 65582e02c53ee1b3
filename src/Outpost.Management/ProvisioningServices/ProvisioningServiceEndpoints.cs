using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.IotHubs;
using Outpost.Core.SharedAccess;
using Outpost.Management.SharedAccess;

namespace Outpost.Management.ProvisioningServices;

/// <summary>
/// <c>Microsoft.Devices/provisioningServices</c>: create or update (long-running), get, tag, delete, list, keys and
/// name availability.
/// </summary>
internal static class ProvisioningServiceEndpoints
{
    private const string Item = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Devices/provisioningServices/{provisioningServiceName}";

    public static void MapProvisioningServices(this IEndpointRouteBuilder management)
    {
        management.MapPut(Item, PutAsync);
        management.MapGet(Item, GetAsync);
        management.MapMethods(Item, [HttpMethods.Patch], PatchAsync);
        management.MapDelete(Item, DeleteAsync);
        management.MapPost(Item + "/listkeys", ListKeysAsync);
        management.MapPost(Item + "/keys/{keyName}/listkeys", GetKeyAsync);
        management.MapGet("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Devices/provisioningServices", ListByResourceGroupAsync);
        management.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Devices/provisioningServices", ListBySubscriptionAsync);
        management.MapPost("/subscriptions/{subscriptionId}/providers/Microsoft.Devices/checkProvisioningServiceNameAvailability", CheckNameAvailabilityAsync);
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, string provisioningServiceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.ProvisioningService, ProvisioningServiceIds.Type);
        if (ProvisioningServiceIds.Problem(provisioningServiceName) is { } problem)
        {
            throw new OutpostException(ErrorCode.InvalidResourceName, problem, "provisioningServiceName");
        }

        var id = ProvisioningServiceIds.Service(subscriptionId, resourceGroupName, provisioningServiceName);
        var caller = await services.Access.DemandAsync(context.User, id, $"{ProvisioningServiceIds.Type}/write", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        var hostName = ProvisioningServiceIds.ServiceHostName(provisioningServiceName, services.Server.Value.DnsSuffix);
        if (existing is null && await GlobalNames.IsTakenAsync(services.Store, GlobalNames.HostNames, hostName, cancellationToken))
        {
            throw new OutpostException(ErrorCode.NameUnavailable,
                $"The provisioning service name '{provisioningServiceName}' is already taken on this server; names are unique across every subscription and resource group.",
                "provisioningServiceName");
        }

        var changes = new StoreChangeSet();
        var service = await ProvisioningServiceDocument.BuildAsync(body, existing, new ResourceNameParts(id, provisioningServiceName, subscriptionId, resourceGroupName),
            caller, changes, services, cancellationToken);
        if (existing is null)
        {
            GlobalNames.Reserve(changes, GlobalNames.HostNames, hostName, id);
            GlobalNames.Reserve(changes, GlobalNames.IdScopes, service["properties"]!["idScope"]!.GetValue<string>(), id);
        }

        changes.PutResource(new StoredResource(id, ProvisioningServiceIds.Type, subscriptionId, resourceGroupName, null, service.ToJsonString()), existing?.Version ?? 0);
        return await services.Operations.CommitPutAsync(context, changes, service, created: existing is null, service["location"]!.GetValue<string>(), cancellationToken);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, string provisioningServiceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        ArmJson.Ok(ArmScopes.Body(await RequireAsync(subscriptionId, resourceGroupName, provisioningServiceName, "read", context, services, cancellationToken)));

    private static async Task<IResult> PatchAsync(string subscriptionId, string resourceGroupName, string provisioningServiceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        await TrackedResources.PatchTagsAsync(context, await RequireAsync(subscriptionId, resourceGroupName, provisioningServiceName, "write", context, services, cancellationToken),
            "provisioning service", services, cancellationToken);

    private static Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, string provisioningServiceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.DeleteAsync(context, services, ProvisioningServiceIds.Type, ApiVersions.ProvisioningService,
            ProvisioningServiceIds.Service(subscriptionId, resourceGroupName, provisioningServiceName), null, cancellationToken);

    private static async Task<IResult> ListKeysAsync(string subscriptionId, string resourceGroupName, string provisioningServiceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var service = await RequireAsync(subscriptionId, resourceGroupName, provisioningServiceName, "listkeys/action", context, services, cancellationToken);
        return ArmJson.Ok(new JsonObject { ["value"] = AccessRuleSet.ToJson(await services.AccessPolicies.GetAsync(service.Id, cancellationToken), withKeys: true) });
    }

    private static async Task<IResult> GetKeyAsync(string subscriptionId, string resourceGroupName, string provisioningServiceName, string keyName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var service = await RequireAsync(subscriptionId, resourceGroupName, provisioningServiceName, "listkeys/action", context, services, cancellationToken);
        var rules = await services.AccessPolicies.GetAsync(service.Id, cancellationToken);
        var rule = AccessRuleSet.Find(rules, keyName, "provisioning service");
        return ArmJson.Ok(AccessRuleSet.ToJson([rule], withKeys: true)[0]!);
    }

    private static Task<IResult> ListByResourceGroupAsync(string subscriptionId, string resourceGroupName, HttpContext context, ManagementServices services,
        CancellationToken cancellationToken) =>
        TrackedResources.ListByResourceGroupAsync(context, services, ProvisioningServiceIds.Type, ApiVersions.ProvisioningService, subscriptionId, resourceGroupName, cancellationToken);

    private static Task<IResult> ListBySubscriptionAsync(string subscriptionId, HttpContext context, ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.ListBySubscriptionAsync(context, services, ProvisioningServiceIds.Type, ApiVersions.ProvisioningService, subscriptionId, cancellationToken);

    private static async Task<IResult> CheckNameAvailabilityAsync(string subscriptionId, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.ProvisioningService, ProvisioningServiceIds.Type);
        await services.Access.DemandAsync(context.User, ArmScopes.Subscription(subscriptionId), "Microsoft.Devices/checkProvisioningServiceNameAvailability/action", cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var name = ArmJson.OptionalString(body, "name", "name") ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "Send {\"name\":\"<service name>\"}.", "name");
        return ArmJson.Ok(await NameAvailability.CheckAsync(ProvisioningServiceIds.Problem(name),
            ProvisioningServiceIds.ServiceHostName(name, services.Server.Value.DnsSuffix), "provisioning service", name, services.Store, cancellationToken));
    }

    private static Task<StoredResource> RequireAsync(string subscriptionId, string resourceGroupName, string provisioningServiceName, string verb, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.RequireAsync(context, services, ProvisioningServiceIds.Type, ApiVersions.ProvisioningService,
            new ResourceNameParts(ProvisioningServiceIds.Service(subscriptionId, resourceGroupName, provisioningServiceName), provisioningServiceName, subscriptionId,
                resourceGroupName), verb, cancellationToken);
}
