namespace Outpost.Client;

/// <summary>The api-versions the command line and the portal send, the ones the Azure CLI and SDKs use for these resource types.</summary>
public static class ApiVersions
{
    public const string Resources = "2021-04-01";
    public const string Subscriptions = "2022-12-01";
    public const string Identities = "2023-01-31";
    public const string Authorization = "2022-04-01";
    public const string DeviceRegistry = "2025-11-01-preview";
    public const string IotHub = "2025-08-01-preview";
    public const string Dps = "2025-02-01-preview";
    public const string HubService = "2021-04-12";
    public const string DpsService = "2025-07-01-preview";
    public const string ActivityLog = "2015-04-01";
}
