using Outpost.Core.Hubs;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.DeviceRegistry;
using Outpost.Management.Identity;

namespace Outpost.Management.IotHubs;

/// <summary>
/// <c>properties.deviceRegistry</c>: the Device Registry namespace a GEN2 hub is linked to and the user-assigned
/// identity it manages the namespace with. Linking checks the wiring the walkthrough sets up first, and records the
/// hub among the namespace's messaging endpoints. A link, once made, does not change: one hub maps to one namespace.
/// </summary>
internal static class IotHubNamespaceLink
{
    private const string Path = "properties.deviceRegistry";

    public static async Task<JsonObject?> ResolveAsync(JsonObject requestedProperties, JsonObject? currentProperties, JsonObject? identity,
        (IotHubSku Sku, int Units) sku, ResourceNameParts hub, StoreChangeSet changes, ManagementServices services, CancellationToken cancellationToken)
    {
        var requested = ArmJson.OptionalObject(requestedProperties, "deviceRegistry", Path);
        var current = currentProperties?["deviceRegistry"] as JsonObject;
        if (requested is null)
        {
            return current?.DeepClone().AsObject();
        }

        var namespaceId = ArmJson.OptionalString(requested, "namespaceResourceId", Path + ".namespaceResourceId");
        var identityId = ArmJson.OptionalString(requested, "identityResourceId", Path + ".identityResourceId");
        if (string.IsNullOrWhiteSpace(namespaceId) || string.IsNullOrWhiteSpace(identityId))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent,
                $"{Path} needs namespaceResourceId (the Device Registry namespace) and identityResourceId (a user-assigned identity of the hub).", Path);
        }

        if (current is not null)
        {
            var same = string.Equals(current["namespaceResourceId"]?.GetValue<string>(), namespaceId, StringComparison.OrdinalIgnoreCase)
                && string.Equals(current["identityResourceId"]?.GetValue<string>(), identityId, StringComparison.OrdinalIgnoreCase);
            return same
                ? current.DeepClone().AsObject()
                : throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                    $"The hub is linked to namespace '{current["namespaceResourceId"]}' with identity '{current["identityResourceId"]}'; a hub's namespace link cannot be changed.", Path);
        }

        if (sku.Sku.Name != "GEN2")
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                $"Only a GEN2 (Preview tier) hub can link a Device Registry namespace; this hub's SKU is {sku.Sku.Name}.", "sku.name");
        }

        var ns = await services.Store.GetResourceAsync(namespaceId, cancellationToken);
        if (ns is null || !string.Equals(ns.Type, DeviceRegistryIds.NamespaceType, StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.ResourceNotFound, $"The Device Registry namespace '{namespaceId}' does not exist.", Path + ".namespaceResourceId");
        }

        var principalId = ResourceIdentity.UserAssignedPrincipal(identity, identityId)
            ?? throw new OutpostException(ErrorCode.InvalidParameter,
                $"'{identityId}' is not one of the hub's user-assigned identities; add it under identity.userAssignedIdentities (type UserAssigned).", Path + ".identityResourceId");

        var purpose = $"Linking IoT hub '{hub.Name}' to namespace '{ns.Id}'";
        var identityName = identityId[(identityId.LastIndexOf('/') + 1)..];
        await services.Roles.RequireAsync(principalId, $"the hub's user-assigned identity '{identityName}'", BuiltInRoles.DeviceRegistryContributor, ns.Id, purpose,
            Path + ".identityResourceId", cancellationToken);
        await services.Roles.RequireAsync(principalId, $"the hub's user-assigned identity '{identityName}'", BuiltInRoles.DeviceRegistryOnboarding, ns.Id, purpose,
            Path + ".identityResourceId", cancellationToken);
        await services.Roles.RequireAsync(WellKnownPrincipals.AzureIotHub, "the Azure IoT Hub service principal", BuiltInRoles.Contributor,
            ArmScopes.ResourceGroup(hub.SubscriptionId, hub.ResourceGroup), purpose, Path, cancellationToken);

        // The namespace lists the hubs it sends to, as Azure shows under properties.messaging.endpoints.
        var namespaceBody = ArmScopes.Body(ns);
        var messaging = namespaceBody["properties"]!["messaging"] as JsonObject ?? [];
        var endpoints = messaging["endpoints"] as JsonObject ?? [];
        endpoints[hub.Name] = new JsonObject
        {
            ["endpointType"] = IotHubIds.Type,
            ["address"] = IotHubIds.HostName(hub.Name, services.Server.Value.DnsSuffix),
            ["resourceId"] = hub.Id,
        };
        messaging["endpoints"] = endpoints;
        namespaceBody["properties"]!["messaging"] = messaging;
        changes.PutResource(ns with { Body = namespaceBody.ToJsonString() }, ns.Version);

        return new JsonObject { ["namespaceResourceId"] = ns.Id, ["identityResourceId"] = identityId };
    }

    /// <summary>Takes a deleted hub out of its namespace's messaging endpoints.</summary>
    public static async Task UnlinkAsync(JsonObject hub, StoreChangeSet changes, IOutpostStore store, CancellationToken cancellationToken)
    {
        var namespaceId = hub["properties"]?["deviceRegistry"]?["namespaceResourceId"]?.GetValue<string>();
        if (namespaceId is null || await store.GetResourceAsync(namespaceId, cancellationToken) is not { } ns)
        {
            return;
        }

        var namespaceBody = ArmScopes.Body(ns);
        if (namespaceBody["properties"]?["messaging"]?["endpoints"] is JsonObject endpoints)
        {
            endpoints.Remove(hub["name"]!.GetValue<string>());
            changes.PutResource(ns with { Body = namespaceBody.ToJsonString() }, ns.Version);
        }
    }

    /// <summary>The hubs linked to a namespace, found through the namespace's messaging endpoints.</summary>
    public static async Task<IReadOnlyList<StoredResource>> LinkedHubsAsync(JsonObject namespaceBody, IOutpostStore store, CancellationToken cancellationToken)
    {
        var hubs = new List<StoredResource>();
        if (namespaceBody["properties"]?["messaging"]?["endpoints"] is JsonObject endpoints)
        {
            foreach (var (_, endpoint) in endpoints)
            {
                if (endpoint?["endpointType"]?.GetValue<string>() == IotHubIds.Type
                    && endpoint["resourceId"]?.GetValue<string>() is { } hubId
                    && await store.GetResourceAsync(hubId, cancellationToken) is { } hub)
                {
                    hubs.Add(hub);
                }
            }
        }

        return hubs;
    }
}
