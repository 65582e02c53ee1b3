namespace Outpost.Management.Identity;

/// <summary>Azure's first-party service principals that Outpost's tenants have too.</summary>
internal static class WellKnownPrincipals
{
    /// <summary>
    /// The "Azure IoT Hub" application. The walkthrough's prerequisite gives it Contributor on the resource group of a
    /// hub linked to a Device Registry namespace.
    /// </summary>
    public const string AzureIotHub = "89d10474-74af-4874-99a7-c23c2f643083";

    public static readonly IReadOnlyList<(string Id, string Name)> All = [(AzureIotHub, "Azure IoT Hub")];
}
