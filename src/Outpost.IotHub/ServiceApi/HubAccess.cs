namespace Outpost.IotHub.ServiceApi;

/// <summary>
/// What a service call needs, both ways IoT Hub grants it: the shared access policy right (RegistryRead,
/// RegistryWrite, ServiceConnect) and the data action a bearer token's role must allow.
/// </summary>
internal sealed record HubAccess(string Right, string DataAction)
{
    public static readonly HubAccess ReadDevices = new("RegistryRead", "Microsoft.Devices/IotHubs/devices/read");
    public static readonly HubAccess WriteDevices = new("RegistryWrite", "Microsoft.Devices/IotHubs/devices/write");
    public static readonly HubAccess DeleteDevices = new("RegistryWrite", "Microsoft.Devices/IotHubs/devices/delete");
    public static readonly HubAccess ReadTwins = new("RegistryRead", "Microsoft.Devices/IotHubs/twins/read");
    public static readonly HubAccess WriteTwins = new("ServiceConnect", "Microsoft.Devices/IotHubs/twins/write");
    public static readonly HubAccess InvokeMethods = new("ServiceConnect", "Microsoft.Devices/IotHubs/directMethods/invoke/action");
    public static readonly HubAccess SendMessages = new("ServiceConnect", "Microsoft.Devices/IotHubs/cloudToDeviceMessages/send/action");
    public static readonly HubAccess PurgeMessages = new("ServiceConnect", "Microsoft.Devices/IotHubs/cloudToDeviceMessages/queue/purge/action");
    public static readonly HubAccess ReadEvents = new("ServiceConnect", "Microsoft.Devices/IotHubs/events/read");
    public static readonly HubAccess ReadStatistics = new("RegistryRead", "Microsoft.Devices/IotHubs/statistics/read");

    /// <summary>Identity registry operations (create, read, list, update, delete devices), which IoT Hub throttles per minute.</summary>
    public bool IsRegistryOperation => DataAction.StartsWith("Microsoft.Devices/IotHubs/devices/", StringComparison.Ordinal);

    /// <summary>RegistryWrite includes RegistryRead, and ServiceConnect reads twins too, as IoT Hub's permission table has it.</summary>
    public bool GrantedBy(Func<string, bool> grants) =>
        grants(Right)
        || (Right == "RegistryRead" && grants("RegistryWrite"))
        || (this == ReadTwins && grants("ServiceConnect"))
        || (this == WriteTwins && grants("RegistryWrite"));
}
