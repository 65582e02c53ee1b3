using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;

namespace Outpost.Management.DeviceRegistry.Credentials;

/// <summary>
/// <c>Microsoft.DeviceRegistry/namespaces/credentials</c>: the namespace's single credential, always named
/// <c>default</c>, backed by the namespace root CA. Only tags change after creation.
/// </summary>
internal static class CredentialEndpoints
{
    private const string Namespace = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DeviceRegistry/namespaces/{namespaceName}";
    private const string Item = Namespace + "/credentials/{credentialName}";

    public static void MapCredentials(this IEndpointRouteBuilder management)
    {
        management.MapPut(Item, PutAsync);
        management.MapGet(Item, GetAsync);
        management.MapMethods(Item, [HttpMethods.Patch], PatchAsync);
        management.MapDelete(Item, DeleteAsync);
        management.MapGet(Namespace + "/credentials", ListAsync);
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (namespaceResource, id) = await ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "write", cancellationToken);
        var caller = ArmCaller.From(context.User);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        var now = services.Time.GetUtcNow();
        var changes = new StoreChangeSet();
        var namespaceLocation = namespaceResource["location"]!.GetValue<string>();
        JsonObject resource;
        if (existing is null)
        {
            var at = new ResourceLocation(id, DeviceRegistryIds.CredentialName, subscriptionId, resourceGroupName, DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName));
            // The spec requires a location; a credential always lives where its namespace does, so that is the default.
            (resource, _) = services.Authorities.AddCredential(changes, at, namespaceName, ArmJson.OptionalString(body, "location", "location") ?? namespaceLocation,
                ArmJson.Tags(body), SystemData.Create(caller, now));
        }
        else
        {
            resource = ArmScopes.Body(existing);
            resource["tags"] = ArmJson.Tags(body);
            resource["systemData"] = SystemData.Touch(resource["systemData"], caller, now);
            changes.PutResource(existing with { Body = resource.ToJsonString() }, existing.Version);
        }

        return await services.Operations.CommitPutAsync(context, changes, resource, created: existing is null, namespaceLocation, cancellationToken);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (_, id) = await ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "read", cancellationToken);
        return ArmJson.Ok(ArmScopes.Body(await RequireAsync(id, namespaceName, resourceGroupName, services, cancellationToken)));
    }

    private static async Task<IResult> PatchAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (namespaceResource, id) = await ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "write", cancellationToken);
        var existing = await RequireAsync(id, namespaceName, resourceGroupName, services, cancellationToken);
        var patch = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var unexpected = patch.Select(property => property.Key).Where(key => key != "tags").ToList();
        if (unexpected.Count > 0)
        {
            throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                $"Only 'tags' of a credential can be changed; remove {string.Join(", ", unexpected.Select(key => $"'{key}'"))} from the PATCH body.", unexpected[0]);
        }

        var resource = ArmScopes.Body(existing);
        resource["tags"] = ArmJson.Tags(patch, resource["tags"] as JsonObject);
        resource["systemData"] = SystemData.Touch(resource["systemData"], ArmCaller.From(context.User), services.Time.GetUtcNow());
        return await services.Operations.CommitAcceptedAsync(context, new StoreChangeSet().PutResource(existing with { Body = resource.ToJsonString() }, existing.Version),
            id, namespaceResource["location"]!.GetValue<string>(), cancellationToken);
    }

    /// <summary>A credential goes only after its policies, as in Azure: deleting the root CA would orphan their issuing CAs.</summary>
    private static async Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, string namespaceName, string credentialName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (namespaceResource, id) = await ResolveAsync(subscriptionId, resourceGroupName, namespaceName, credentialName, context, services, "delete", cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        if (existing is null)
        {
            return Results.NoContent();
        }

        var policies = await services.Store.GetResourcesAsync(new ResourceQuery(DeviceRegistryIds.PolicyType, subscriptionId, resourceGroupName, existing.Id), cancellationToken);
        if (policies.Count > 0)
        {
            var names = policies.Select(policy => $"'{ArmScopes.Body(policy)["name"]}'");
            throw new OutpostException(ErrorCode.Conflict,
                $"The credential of namespace '{namespaceName}' still has policies {string.Join(", ", names)}; delete them first.");
        }

        return await services.Operations.CommitAcceptedAsync(context, new StoreChangeSet().DeleteResourceTree(existing.Id), existing.Id,
            namespaceResource["location"]!.GetValue<string>(), cancellationToken);
    }

    private static async Task<IResult> ListAsync(string subscriptionId, string resourceGroupName, string namespaceName,
        HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        var (_, id) = await ResolveAsync(subscriptionId, resourceGroupName, namespaceName, DeviceRegistryIds.CredentialName, context, services, "read", cancellationToken);
        var credential = await services.Store.GetResourceAsync(id, cancellationToken);
        return ArmJson.List(credential is null ? [] : [credential.Body]);
    }

    /// <summary>Checks api-version, the credential name, permission and that the namespace exists; returns the namespace JSON and the credential id.</summary>
    internal static async Task<(JsonObject Namespace, string CredentialId)> ResolveAsync(string subscriptionId, string resourceGroupName, string namespaceName,
        string credentialName, HttpContext context, ManagementServices services, string verb, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.DeviceRegistry, DeviceRegistryIds.CredentialType);
        if (!string.Equals(credentialName, DeviceRegistryIds.CredentialName, StringComparison.Ordinal))
        {
            throw new OutpostException(ErrorCode.InvalidResourceName,
                $"The credential name '{credentialName}' is invalid: a namespace has one credential and it is always named '{DeviceRegistryIds.CredentialName}'.", "credentialName");
        }

        var namespaceId = DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName);
        var id = DeviceRegistryIds.Credential(namespaceId);
        await services.Access.DemandAsync(context.User, id, $"Microsoft.DeviceRegistry/namespaces/credentials/{verb}", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var namespaceResource = await services.Scopes.RequireResourceAsync(namespaceId, $"{DeviceRegistryIds.NamespaceType}/{namespaceName}", resourceGroupName, cancellationToken);
        return (ArmScopes.Body(namespaceResource), id);
    }

    internal static async Task<StoredResource> RequireAsync(string id, string namespaceName, string resourceGroupName, ManagementServices services, CancellationToken cancellationToken) =>
        await services.Store.GetResourceAsync(id, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound,
                $"The Resource '{DeviceRegistryIds.CredentialType}/{namespaceName}/{DeviceRegistryIds.CredentialName}' under resource group '{resourceGroupName}' was not found. Create it with PUT …/namespaces/{namespaceName}/credentials/default, or create the namespace with a system-assigned identity.");
}
