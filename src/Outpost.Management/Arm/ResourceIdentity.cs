using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.ManagedIdentities;

namespace Outpost.Management.Arm;

/// <summary>
/// A hub's (or DPS instance's) <c>identity</c>: system-assigned, user-assigned identities that must already exist, or
/// both. Returns the JSON ARM shows, with each identity's principal and client ids filled in.
/// </summary>
internal static class ResourceIdentity
{
    public static async Task<JsonObject?> ResolveAsync(JsonObject? requested, JsonObject? current, string ownerId, string ownerName, string tenantId,
        StoreChangeSet changes, IOutpostStore store, CancellationToken cancellationToken)
    {
        if (requested is null)
        {
            return current?.DeepClone().AsObject();
        }

        var type = (ArmJson.OptionalString(requested, "type", "identity.type") ?? "None").Replace(" ", string.Empty, StringComparison.Ordinal);
        var system = type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase);
        var user = type.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase);
        if (!system && !user && !type.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                $"identity.type '{type}' is not valid; use None, SystemAssigned, UserAssigned or 'SystemAssigned, UserAssigned'.", "identity.type");
        }

        if (!system && !user)
        {
            return null;
        }

        var result = new JsonObject { ["type"] = system && user ? "SystemAssigned, UserAssigned" : system ? "SystemAssigned" : "UserAssigned" };
        if (system)
        {
            var principalId = current?["principalId"]?.GetValue<string>();
            if (principalId is null)
            {
                principalId = Guid.NewGuid().ToString();
                changes.PutPrincipal(new StoredPrincipal(principalId, Guid.NewGuid().ToString(), ownerName, PrincipalKind.SystemAssignedIdentity, null, ownerId));
            }

            result["principalId"] = principalId;
            result["tenantId"] = tenantId;
        }

        if (user)
        {
            var identities = ArmJson.OptionalObject(requested, "userAssignedIdentities", "identity.userAssignedIdentities");
            if (identities is null || identities.Count == 0)
            {
                throw new OutpostException(ErrorCode.InvalidParameter,
                    "identity.type includes UserAssigned, so identity.userAssignedIdentities must name at least one identity by its resource id.", "identity.userAssignedIdentities");
            }

            var resolved = new JsonObject();
            foreach (var (identityId, _) in identities)
            {
                var identity = await store.GetResourceAsync(identityId, cancellationToken);
                if (identity is null || !string.Equals(identity.Type, UserAssignedIdentityEndpoints.Type, StringComparison.OrdinalIgnoreCase))
                {
                    throw new OutpostException(ErrorCode.InvalidParameter,
                        $"The user-assigned identity '{identityId}' does not exist. Create it first (PUT …/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{{name}}).",
                        "identity.userAssignedIdentities");
                }

                var properties = ArmScopes.Body(identity)["properties"]!;
                resolved[identity.Id] = new JsonObject
                {
                    ["principalId"] = properties["principalId"]!.GetValue<string>(),
                    ["clientId"] = properties["clientId"]!.GetValue<string>(),
                };
            }

            result["userAssignedIdentities"] = resolved;
        }

        return result;
    }

    /// <summary>The principal id of user-assigned identity <paramref name="identityId"/> if <paramref name="identity"/> names it, else null.</summary>
    public static string? UserAssignedPrincipal(JsonNode? identity, string identityId)
    {
        if (identity?["userAssignedIdentities"] is not JsonObject identities)
        {
            return null;
        }

        return identities.FirstOrDefault(entry => string.Equals(entry.Key, identityId, StringComparison.OrdinalIgnoreCase)).Value?["principalId"]?.GetValue<string>();
    }
}
