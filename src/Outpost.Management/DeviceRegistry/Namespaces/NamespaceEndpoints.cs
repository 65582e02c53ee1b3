using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.DeviceRegistry.Policies;
using Outpost.Management.Identity;
using Outpost.Management.IotHubs;

namespace Outpost.Management.DeviceRegistry.Namespaces;

/// <summary>
/// <c>Microsoft.DeviceRegistry/namespaces</c>. A namespace created with a system-assigned identity also gets that
/// identity's principal, its credential (the root CA) and a <c>default</c> policy (an issuing CA), as the portal
/// walkthrough describes, all in one commit.
/// </summary>
internal static class NamespaceEndpoints
{
    private const string Item = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DeviceRegistry/namespaces/{namespaceName}";

    public static void MapNamespaces(this IEndpointRouteBuilder management)
    {
        management.MapPut(Item, PutAsync);
        management.MapGet(Item, GetAsync);
        management.MapMethods(Item, [HttpMethods.Patch], PatchAsync);
        management.MapDelete(Item, DeleteAsync);
        management.MapGet("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DeviceRegistry/namespaces", ListByResourceGroupAsync);
        management.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.DeviceRegistry/namespaces", ListBySubscriptionAsync);
    }

    private static async Task<IResult> PutAsync(string subscriptionId, string resourceGroupName, string namespaceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.DeviceRegistry, DeviceRegistryIds.NamespaceType);
        ResourceNameRule.Namespace.Validate(namespaceName);
        var id = DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName);
        var caller = await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/write", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        var now = services.Time.GetUtcNow();
        var at = new ResourceLocation(id, namespaceName, subscriptionId, resourceGroupName, null);
        var changes = new StoreChangeSet();

        var location = ArmJson.OptionalString(body, "location", "location");
        JsonObject resource;
        if (existing is null)
        {
            if (string.IsNullOrWhiteSpace(location))
            {
                throw new OutpostException(ErrorCode.InvalidRequestContent, "A namespace needs a 'location', for example {\"location\":\"eastus\",\"identity\":{\"type\":\"SystemAssigned\"}}.", "location");
            }

            location = services.Regions.Value.Require(location, DeviceRegistryIds.NamespaceType);

            resource = new JsonObject
            {
                ["id"] = id,
                ["name"] = namespaceName,
                ["type"] = DeviceRegistryIds.NamespaceType,
                ["location"] = location,
                ["properties"] = new JsonObject { ["uuid"] = Guid.NewGuid().ToString(), ["provisioningState"] = "Succeeded" },
                ["systemData"] = SystemData.Create(caller, now),
            };
        }
        else
        {
            resource = ArmScopes.Body(existing);
            RequireSameLocation(resource, location);
            resource["systemData"] = SystemData.Touch(resource["systemData"], caller, now);
        }

        resource["tags"] = ArmJson.Tags(body);
        resource["properties"]!["messaging"] = Messaging(body) ?? resource["properties"]!["messaging"]?.DeepClone() ?? new JsonObject { ["endpoints"] = new JsonObject() };
        await ApplyIdentityAsync(resource, body, at, changes, services, cancellationToken);
        changes.PutResource(at.Resource(DeviceRegistryIds.NamespaceType, resource), existing?.Version ?? 0);
        return await services.Operations.CommitPutAsync(context, changes, resource, created: existing is null, resource["location"]!.GetValue<string>(), cancellationToken);
    }

    private static async Task<IResult> PatchAsync(string subscriptionId, string resourceGroupName, string namespaceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.DeviceRegistry, DeviceRegistryIds.NamespaceType);
        var id = DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName);
        var caller = await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/write", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var existing = await services.Scopes.RequireResourceAsync(id, $"{DeviceRegistryIds.NamespaceType}/{namespaceName}", resourceGroupName, cancellationToken);
        var patch = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        if (patch.ContainsKey("location"))
        {
            throw new OutpostException(ErrorCode.PropertyChangeNotAllowed, "A namespace's location cannot be changed; remove 'location' from the PATCH body.", "location");
        }

        var resource = ArmScopes.Body(existing);
        var at = new ResourceLocation(existing.Id, resource["name"]!.GetValue<string>(), subscriptionId, resourceGroupName, null);
        var changes = new StoreChangeSet();
        resource["tags"] = ArmJson.Tags(patch, resource["tags"] as JsonObject);
        if (Messaging(patch) is { } messaging)
        {
            resource["properties"]!["messaging"] = messaging;
        }

        if (patch.ContainsKey("identity"))
        {
            await ApplyIdentityAsync(resource, patch, at, changes, services, cancellationToken);
        }

        resource["systemData"] = SystemData.Touch(resource["systemData"], caller, services.Time.GetUtcNow());
        changes.PutResource(at.Resource(DeviceRegistryIds.NamespaceType, resource), existing.Version);
        return await services.Operations.CommitAcceptedAsync(context, changes, existing.Id, resource["location"]!.GetValue<string>(), cancellationToken);
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string resourceGroupName, string namespaceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.DeviceRegistry, DeviceRegistryIds.NamespaceType);
        var id = DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName);
        await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/read", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var existing = await services.Scopes.RequireResourceAsync(id, $"{DeviceRegistryIds.NamespaceType}/{namespaceName}", resourceGroupName, cancellationToken);
        return ArmJson.Ok(ArmScopes.Body(existing));
    }

    /// <summary>Deletes the namespace with its credential, policies, CA keys and identity. Absent namespaces answer 204, as ARM does.</summary>
    private static async Task<IResult> DeleteAsync(string subscriptionId, string resourceGroupName, string namespaceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.DeviceRegistry, DeviceRegistryIds.NamespaceType);
        var id = DeviceRegistryIds.Namespace(subscriptionId, resourceGroupName, namespaceName);
        await services.Access.DemandAsync(context.User, id, "Microsoft.DeviceRegistry/namespaces/delete", cancellationToken);
        await services.Scopes.RequireResourceGroupAsync(subscriptionId, resourceGroupName, cancellationToken);
        var existing = await services.Store.GetResourceAsync(id, cancellationToken);
        if (existing is null)
        {
            return Results.NoContent();
        }

        var linked = await IotHubNamespaceLink.LinkedHubsAsync(ArmScopes.Body(existing), services.Store, cancellationToken);
        if (linked.Count > 0)
        {
            throw new OutpostException(ErrorCode.Conflict,
                $"The namespace cannot be deleted while IoT hubs are linked to it: {string.Join(", ", linked.Select(hub => hub.Id))}. Delete those hubs first.");
        }

        return await services.Operations.CommitAcceptedAsync(context, new StoreChangeSet().DeleteResourceTree(existing.Id), existing.Id,
            ArmScopes.Body(existing)["location"]!.GetValue<string>(), cancellationToken);
    }

    private static Task<IResult> ListByResourceGroupAsync(string subscriptionId, string resourceGroupName, HttpContext context, ManagementServices services,
        CancellationToken cancellationToken) =>
        TrackedResources.ListByResourceGroupAsync(context, services, DeviceRegistryIds.NamespaceType, ApiVersions.DeviceRegistry, subscriptionId, resourceGroupName, cancellationToken);

    private static Task<IResult> ListBySubscriptionAsync(string subscriptionId, HttpContext context, ManagementServices services, CancellationToken cancellationToken) =>
        TrackedResources.ListBySubscriptionAsync(context, services, DeviceRegistryIds.NamespaceType, ApiVersions.DeviceRegistry, subscriptionId, cancellationToken);

    /// <summary>
    /// Applies <c>identity.type</c>. Turning on the system-assigned identity creates its principal and, when the
    /// namespace has no credential yet, the credential and the default policy. Turning it off is refused while a
    /// credential exists, because issued certificates and hub links depend on that identity.
    /// </summary>
    private static async Task ApplyIdentityAsync(JsonObject resource, JsonObject body, ResourceLocation at, StoreChangeSet changes,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var identity = ArmJson.OptionalObject(body, "identity", "identity");
        var requested = identity is null ? null : ArmJson.OptionalString(identity, "type", "identity.type");
        var current = resource["identity"]?["type"]?.GetValue<string>() ?? "None";
        var wanted = requested ?? (identity is null ? current : "None");
        if (!string.Equals(wanted, "None", StringComparison.OrdinalIgnoreCase) && !string.Equals(wanted, "SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                $"identity.type '{wanted}' is not supported for a namespace; use 'SystemAssigned' (or 'None').", "identity.type");
        }

        var credentialId = DeviceRegistryIds.Credential(at.Id);
        if (string.Equals(wanted, "None", StringComparison.OrdinalIgnoreCase))
        {
            if (!string.Equals(current, "None", StringComparison.OrdinalIgnoreCase) && await services.Store.GetResourceAsync(credentialId, cancellationToken) is not null)
            {
                throw new OutpostException(ErrorCode.Conflict,
                    "The namespace's system-assigned identity cannot be removed while its credential exists; delete the policies and the credential first.", "identity.type");
            }

            resource.Remove("identity");
            return;
        }

        if (string.Equals(current, "SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var principalId = Guid.NewGuid().ToString();
        changes.PutPrincipal(new StoredPrincipal(principalId, Guid.NewGuid().ToString(), at.Name, PrincipalKind.SystemAssignedIdentity, null, at.Id));
        resource["identity"] = new JsonObject { ["type"] = "SystemAssigned", ["principalId"] = principalId, ["tenantId"] = services.Identity.TenantId };
        if (await services.Store.GetResourceAsync(credentialId, cancellationToken) is null)
        {
            var location = resource["location"]!.GetValue<string>();
            var systemData = resource["systemData"]!.DeepClone().AsObject();
            var credentialAt = new ResourceLocation(credentialId, DeviceRegistryIds.CredentialName, at.SubscriptionId, at.ResourceGroup, at.Id);
            var (_, root) = services.Authorities.AddCredential(changes, credentialAt, at.Name, location, [], systemData);
            var policyAt = new ResourceLocation(DeviceRegistryIds.Policy(credentialId, DeviceRegistryIds.DefaultPolicyName), DeviceRegistryIds.DefaultPolicyName,
                at.SubscriptionId, at.ResourceGroup, credentialId);
            services.Authorities.AddPolicy(changes, policyAt, credentialId, root,
                new PolicySettings(PolicySettings.EccKeyType, services.Options.Value.DefaultPolicyValidityDays), location, [], systemData.DeepClone().AsObject());
        }
    }

    private static JsonObject? Messaging(JsonObject body)
    {
        var properties = ArmJson.OptionalObject(body, "properties", "properties");
        return properties is null ? null : ArmJson.OptionalObject(properties, "messaging", "properties.messaging")?.DeepClone().AsObject();
    }

    private static void RequireSameLocation(JsonObject resource, string? location)
    {
        var current = resource["location"]!.GetValue<string>();
        if (location is not null && !string.Equals(LongRunningOperations.NormalizeLocation(current), LongRunningOperations.NormalizeLocation(location), StringComparison.Ordinal))
        {
            throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                $"The namespace is in location '{current}' and cannot be moved to '{location}'. Delete it and create it again to change its location.", "location");
        }
    }
}
