namespace Outpost.Management.Authorization;

/// <summary>
/// Azure's built-in roles, with Azure's GUIDs so role assignments written for Azure mean the same here. Only the roles
/// the walkthrough uses are listed; their permissions follow Azure's published definitions.
/// </summary>
internal static class BuiltInRoles
{
    public static readonly RoleDefinition Owner = new(
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        ["*"], [], [], []);

    public static readonly RoleDefinition Contributor = new(
        "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
        ["*"],
        ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"],
        [], []);

    public static readonly RoleDefinition Reader = new(
        "acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", "View all resources, but does not allow you to make any changes.",
        ["*/read"], [], [], []);

    public static readonly RoleDefinition DeviceRegistryContributor = new(
        "a5c3590a-3a1a-4cd4-9648-ea0a32b15137", "Azure Device Registry Contributor",
        "Gives full access to Azure Device Registry devices and read access to namespaces, credentials and policies.",
        [
            "Microsoft.DeviceRegistry/namespaces/read", "Microsoft.DeviceRegistry/namespaces/devices/*",
            "Microsoft.DeviceRegistry/namespaces/discoveredDevices/*", "Microsoft.DeviceRegistry/namespaces/credentials/read",
            "Microsoft.DeviceRegistry/namespaces/credentials/policies/read", "Microsoft.Devices/iothubs/certificates/*",
            "Microsoft.Devices/iothubs/read",
        ],
        [],
        ["Microsoft.DeviceRegistry/namespaces/credentials/policies/issueCertificate/action", "Microsoft.Devices/iothubs/devices/*"],
        []);

    public static readonly IReadOnlyList<RoleDefinition> All = [Owner, Contributor, Reader, DeviceRegistryContributor];

    public static RoleDefinition? Find(string roleDefinitionId)
    {
        // Assignments may name the role by GUID or by its full ARM id (…/roleDefinitions/{guid}).
        var guid = roleDefinitionId[(roleDefinitionId.LastIndexOf('/') + 1)..];
        return All.FirstOrDefault(role => string.Equals(role.Id, guid, StringComparison.OrdinalIgnoreCase));
    }
}
