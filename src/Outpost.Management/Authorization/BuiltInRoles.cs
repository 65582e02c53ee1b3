namespace Outpost.Management.Authorization;

/// <summary>
/// Azure's built-in roles, with Azure's GUIDs and permissions (from Azure's published definitions), so role
/// assignments written for Azure mean the same here. Only the roles the walkthrough uses are listed.
/// </summary>
internal static class BuiltInRoles
{
    public static readonly RoleDefinition Owner = new(
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        ["*"], [], [], []);

    public static readonly RoleDefinition Contributor = new(
        "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
        ["*"],
        [
            "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete", "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
            "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action",
        ],
        [], []);

    public static readonly RoleDefinition Reader = new(
        "acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", "View all resources, but does not allow you to make any changes.",
        ["*/read"], [], [], []);

    public static readonly RoleDefinition UserAccessAdministrator = new(
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator", "Lets you manage user access to Azure resources.",
        ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], [], [], []);

    public static readonly RoleDefinition DeviceRegistryOnboarding = new(
        "547f7f0a-69c0-4807-bd9e-0321dfb66a84", "Azure Device Registry Onboarding",
        "Allows for full access to Azure Device Registry Namespace and X.509 certificate provisioning.",
        [
            "Microsoft.DeviceRegistry/namespaces/read", "Microsoft.DeviceRegistry/namespaces/write", "Microsoft.DeviceRegistry/namespaces/delete",
            "Microsoft.DeviceRegistry/namespaces/credentials/*", "Microsoft.DeviceRegistry/namespaces/credentials/policies/*",
            "Microsoft.Devices/iothubs/*", "Microsoft.Devices/provisioningServices/*",
        ],
        [],
        ["Microsoft.Devices/provisioningServices/enrollments/*", "Microsoft.Devices/provisioningServices/enrollmentGroups/*"],
        []);

    public static readonly RoleDefinition DeviceRegistryContributor = new(
        "a5c3590a-3a1a-4cd4-9648-ea0a32b15137", "Azure Device Registry Contributor",
        "Allows for full access to IoT devices within Azure Device Registry Namespace.",
        [
            "Microsoft.DeviceRegistry/namespaces/read", "Microsoft.DeviceRegistry/namespaces/devices/*",
            "Microsoft.DeviceRegistry/namespaces/discoveredDevices/*", "Microsoft.DeviceRegistry/namespaces/credentials/read",
            "Microsoft.DeviceRegistry/namespaces/credentials/policies/read", "Microsoft.Devices/iothubs/certificates/*",
            "Microsoft.Devices/iothubs/read",
        ],
        [],
        ["Microsoft.DeviceRegistry/namespaces/credentials/policies/issueCertificate/action", "Microsoft.Devices/iothubs/devices/*"],
        []);

    public static readonly RoleDefinition DeviceRegistryCredentialsContributor = new(
        "09267e11-2e06-40b5-8fe4-68cea20794c9", "Azure Device Registry Credentials Contributor",
        "Allows for full access to manage credentials and policies within Azure Device Registry Namespace.",
        ["Microsoft.DeviceRegistry/namespaces/credentials/*", "Microsoft.DeviceRegistry/namespaces/credentials/policies/*"], [], [], []);

    public static readonly RoleDefinition IotHubRegistryContributor = new(
        "4ea46cd5-c1b2-4a8e-910b-273211f9ce47", "IoT Hub Registry Contributor", "Allows for full access to IoT Hub device registry.",
        [], [], ["Microsoft.Devices/IotHubs/devices/*"], []);

    public static readonly RoleDefinition IotHubDataContributor = new(
        "4fc6c259-987e-4a07-842e-c321cc9d413f", "IoT Hub Data Contributor", "Allows for full access to IoT Hub data plane operations.",
        [], [], ["Microsoft.Devices/IotHubs/*"], []);

    public static readonly RoleDefinition IotHubDataReader = new(
        "b447c946-2db7-41ec-983d-d8bf3b1c77e3", "IoT Hub Data Reader", "Allows for full read access to IoT Hub data-plane properties",
        [], [], ["Microsoft.Devices/IotHubs/*/read", "Microsoft.Devices/IotHubs/fileUpload/notifications/action"], []);

    public static readonly RoleDefinition ProvisioningDataContributor = new(
        "dfce44e4-17b7-4bd1-a6d1-04996ec95633", "Device Provisioning Service Data Contributor",
        "Allows for full access to Device Provisioning Service data-plane operations.",
        [], [], ["Microsoft.Devices/provisioningServices/*"], []);

    public static readonly RoleDefinition ProvisioningDataReader = new(
        "10745317-c249-44a1-a5ce-3a4353c0bbd8", "Device Provisioning Service Data Reader",
        "Allows for full read access to Device Provisioning Service data-plane properties.",
        [], [], ["Microsoft.Devices/provisioningServices/*/read"], []);

    public static readonly IReadOnlyList<RoleDefinition> All =
    [
        Owner, Contributor, Reader, UserAccessAdministrator, DeviceRegistryOnboarding, DeviceRegistryContributor,
        DeviceRegistryCredentialsContributor, IotHubRegistryContributor, IotHubDataContributor, IotHubDataReader,
        ProvisioningDataContributor, ProvisioningDataReader,
    ];

    public static RoleDefinition? Find(string roleDefinitionId)
    {
        // Assignments may name the role by GUID or by its full ARM id (…/roleDefinitions/{guid}).
        var guid = roleDefinitionId[(roleDefinitionId.LastIndexOf('/') + 1)..];
        return All.FirstOrDefault(role => string.Equals(role.Id, guid, StringComparison.OrdinalIgnoreCase));
    }
}
