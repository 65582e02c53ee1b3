using System.Text.Json.Nodes;

namespace Outpost.Client;

/// <summary>The <c>identity</c> block of a hub's or DPS instance's body, as ARM expects it on PUT.</summary>
public static class ManagedIdentityBody
{
    /// <summary>
    /// Adds a user-assigned identity to a resource body (a new one, or one as read): ARM replaces the whole identity
    /// block on PUT, so the identities the resource already has, its system-assigned one included, are kept.
    /// </summary>
    public static JsonObject AddUserAssigned(JsonObject resource, string identityId)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var current = resource["identity"];
        var users = current?["userAssignedIdentities"]?.DeepClone() as JsonObject ?? [];
        users[identityId] = new JsonObject();
        var system = current?["type"]?.GetValue<string>().Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase) == true;
        resource["identity"] = new JsonObject { ["type"] = system ? "SystemAssigned, UserAssigned" : "UserAssigned", ["userAssignedIdentities"] = users };
        return resource;
    }
}
