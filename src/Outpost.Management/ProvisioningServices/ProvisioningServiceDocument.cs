using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.DeviceRegistry;
using Outpost.Management.IotHubs;
using Outpost.Core.SharedAccess;
using Outpost.Management.SharedAccess;

namespace Outpost.Management.ProvisioningServices;

/// <summary>
/// Turns a DPS PUT into the instance's JSON: location, SKU (S1), allocation policy, linked hubs, shared access
/// policies, identities and the Device Registry namespace link with the role it needs. Responses always carry
/// <c>properties</c> and <c>sku</c>: the DPS management SDK reads both unconditionally.
/// </summary>
internal static class ProvisioningServiceDocument
{
    private static readonly string[] AllocationPolicies = ["Hashed", "GeoLatency", "Static"];

    public static async Task<JsonObject> BuildAsync(JsonObject body, StoredResource? existing, ResourceNameParts service, ArmCaller caller, StoreChangeSet changes,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var current = existing is null ? null : ArmScopes.Body(existing);
        var currentProperties = current?["properties"] as JsonObject;
        var requested = ArmJson.OptionalObject(body, "properties", "properties") ?? [];
        var location = TrackedResources.Location(body, current, services, ProvisioningServiceIds.Type, "provisioning service");
        var sku = ArmJson.OptionalObject(body, "sku", "sku");
        var skuName = sku is null ? "S1" : ArmJson.OptionalString(sku, "name", "sku.name") ?? "S1";
        if (!string.Equals(skuName, "S1", StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"The SKU '{skuName}' is not offered for provisioning services; the only SKU is S1.", "sku.name");
        }

        var units = (sku is null ? null : ArmJson.OptionalInt(sku, "capacity", "sku.capacity", 1, 10)) ?? current?["sku"]?["capacity"]?.GetValue<int>() ?? 1;
        var allocation = ArmJson.OptionalString(requested, "allocationPolicy", "properties.allocationPolicy") ?? currentProperties?["allocationPolicy"]?.GetValue<string>() ?? "Hashed";
        if (!AllocationPolicies.Contains(allocation, StringComparer.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                $"allocationPolicy '{allocation}' is not valid; use {string.Join(", ", AllocationPolicies)} (custom allocation is set per enrollment).", "properties.allocationPolicy");
        }

        var rules = AccessRuleSet.ProvisioningService.Resolve(
            ArmJson.OptionalArray(requested, "authorizationPolicies", "properties.authorizationPolicies"),
            existing is null ? null : await services.AccessPolicies.GetAsync(service.Id, cancellationToken));
        services.AccessPolicies.Put(changes, service.Id, rules);

        var identity = await ResourceIdentity.ResolveAsync(ArmJson.OptionalObject(body, "identity", "identity"), current?["identity"] as JsonObject,
            service.Id, service.Name, services.Identity.TenantId, changes, services.Store, cancellationToken);
        var suffix = services.Server.Value.DnsSuffix;
        var properties = new JsonObject
        {
            ["state"] = "Active",
            ["provisioningState"] = "Succeeded",
            ["iotHubs"] = await LinkedHubs.ResolveAsync(ArmJson.OptionalArray(requested, "iotHubs", "properties.iotHubs"), currentProperties?["iotHubs"] as JsonArray,
                services, cancellationToken),
            ["allocationPolicy"] = AllocationPolicies.First(known => string.Equals(known, allocation, StringComparison.OrdinalIgnoreCase)),
            ["serviceOperationsHostName"] = ProvisioningServiceIds.ServiceHostName(service.Name, suffix),
            ["deviceProvisioningHostName"] = ProvisioningServiceIds.DeviceHostName(suffix),
            ["idScope"] = currentProperties?["idScope"]?.GetValue<string>() ?? ProvisioningServiceIds.NewIdScope(),
            ["authorizationPolicies"] = AccessRuleSet.ToJson(rules, withKeys: false),
            ["publicNetworkAccess"] = ArmJson.OptionalString(requested, "publicNetworkAccess", "properties.publicNetworkAccess")
                ?? currentProperties?["publicNetworkAccess"]?.GetValue<string>() ?? "Enabled",
            ["enableDataResidency"] = ArmJson.OptionalBool(requested, "enableDataResidency", "properties.enableDataResidency")
                ?? currentProperties?["enableDataResidency"]?.GetValue<bool>() ?? false,
            ["disableLocalAuth"] = ArmJson.OptionalBool(requested, "disableLocalAuth", "properties.disableLocalAuth")
                ?? currentProperties?["disableLocalAuth"]?.GetValue<bool>() ?? false,
            ["portalOperationsHostName"] = $"{service.Name}.services.dps.{suffix}".ToLowerInvariant(),
        };
        var namespaceLink = await NamespaceLinkAsync(requested, currentProperties, identity, service, services, cancellationToken);
        if (namespaceLink is not null)
        {
            properties["deviceRegistryNamespace"] = namespaceLink;
        }

        var now = services.Time.GetUtcNow();
        var document = new JsonObject
        {
            ["id"] = service.Id,
            ["name"] = current?["name"]?.GetValue<string>() ?? service.Name,
            ["type"] = ProvisioningServiceIds.Type,
            ["location"] = location,
            ["tags"] = ArmJson.Tags(body),
            ["etag"] = TrackedResources.NewEtag(),
            ["resourcegroup"] = service.ResourceGroup,
            ["subscriptionid"] = service.SubscriptionId,
            ["sku"] = new JsonObject { ["name"] = "S1", ["tier"] = "Standard", ["capacity"] = units },
            ["properties"] = properties,
            ["systemData"] = current is null ? SystemData.Create(caller, now) : SystemData.Touch(current["systemData"], caller, now),
        };
        if (identity is not null)
        {
            document["identity"] = identity;
        }

        return document;
    }

    /// <summary>
    /// <c>deviceRegistryNamespace</c>: the namespace whose policies issue certificates during registration, and the
    /// identity DPS acts as. That identity must hold Azure Device Registry Onboarding on the namespace.
    /// </summary>
    private static async Task<JsonObject?> NamespaceLinkAsync(JsonObject requestedProperties, JsonObject? currentProperties, JsonObject? identity, ResourceNameParts service,
        ManagementServices services, CancellationToken cancellationToken)
    {
        const string Path = "properties.deviceRegistryNamespace";
        var requested = ArmJson.OptionalObject(requestedProperties, "deviceRegistryNamespace", Path);
        if (requested is null)
        {
            return (currentProperties?["deviceRegistryNamespace"] as JsonObject)?.DeepClone().AsObject();
        }

        var namespaceId = ArmJson.OptionalString(requested, "resourceId", Path + ".resourceId");
        var authentication = ArmJson.OptionalString(requested, "authenticationType", Path + ".authenticationType") ?? "UserAssigned";
        var identityId = ArmJson.OptionalString(requested, "selectedUserAssignedIdentityResourceId", Path + ".selectedUserAssignedIdentityResourceId");
        var ns = namespaceId is null ? null : await services.Store.GetResourceAsync(namespaceId, cancellationToken);
        if (ns is null || !string.Equals(ns.Type, DeviceRegistryIds.NamespaceType, StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.ResourceNotFound, $"The Device Registry namespace '{namespaceId}' does not exist.", Path + ".resourceId");
        }

        var namespaceResourceId = ArmScopes.Body(ns)["id"]!.GetValue<string>();

        string principalId;
        string description;
        if (string.Equals(authentication, "UserAssigned", StringComparison.OrdinalIgnoreCase))
        {
            principalId = (identityId is null ? null : ResourceIdentity.UserAssignedPrincipal(identity, identityId))
                ?? throw new OutpostException(ErrorCode.InvalidParameter,
                    $"{Path}.selectedUserAssignedIdentityResourceId must name one of the service's user-assigned identities (identity.userAssignedIdentities); it is '{identityId}'.",
                    Path + ".selectedUserAssignedIdentityResourceId");
            description = $"the provisioning service's user-assigned identity '{identityId}'";
        }
        else if (string.Equals(authentication, "SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            principalId = identity?["principalId"]?.GetValue<string>()
                ?? throw new OutpostException(ErrorCode.InvalidParameter, "authenticationType SystemAssigned needs identity.type to include SystemAssigned.", Path + ".authenticationType");
            description = "the provisioning service's system-assigned identity";
        }
        else
        {
            throw new OutpostException(ErrorCode.InvalidParameter, $"authenticationType '{authentication}' is not valid; use UserAssigned or SystemAssigned.", Path + ".authenticationType");
        }

        await services.Roles.RequireAsync(principalId, description, BuiltInRoles.DeviceRegistryOnboarding, namespaceResourceId,
            $"Linking provisioning service '{service.Name}' to namespace '{namespaceResourceId}'", Path, cancellationToken);
        var link = new JsonObject { ["resourceId"] = namespaceResourceId, ["authenticationType"] = string.Equals(authentication, "SystemAssigned", StringComparison.OrdinalIgnoreCase) ? "SystemAssigned" : "UserAssigned" };
        if (identityId is not null)
        {
            link["selectedUserAssignedIdentityResourceId"] = identityId;
        }

        return link;
    }
}
