namespace Outpost.Management.IotHubs;

/// <summary>Ids, types and names of IoT hub resources.</summary>
internal static class IotHubIds
{
    public const string Provider = "Microsoft.Devices";
    public const string Type = "Microsoft.Devices/IotHubs";
    public const string CertificateType = "Microsoft.Devices/IotHubs/Certificates";

    public static string Hub(string subscriptionId, string resourceGroup, string name) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{Type}/{name}";

    /// <summary>The hub's host name, <c>{name}.{dnsSuffix}</c> in lower case: devices and service clients connect to it.</summary>
    public static string HostName(string name, string dnsSuffix) => $"{name}.{dnsSuffix}".ToLowerInvariant();
}
