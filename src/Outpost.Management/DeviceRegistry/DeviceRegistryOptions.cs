namespace Outpost.Management.DeviceRegistry;

/// <summary>Section <c>Outpost:DeviceRegistry</c>.</summary>
public sealed class DeviceRegistryOptions
{
    public const string SectionName = "Outpost:DeviceRegistry";

    /// <summary>
    /// How many policies (issuing CAs) one namespace credential may hold. Default 10. Azure's preview docs say one, yet
    /// its CLI and the walkthrough add a custom policy beside the default one, so the limit is a setting.
    /// </summary>
    public int MaxPoliciesPerCredential { get; set; } = 10;

    /// <summary>Leaf validity of the policy a new namespace gets, in days. Default 30, the Azure CLI's default.</summary>
    public int DefaultPolicyValidityDays { get; set; } = 30;
}
