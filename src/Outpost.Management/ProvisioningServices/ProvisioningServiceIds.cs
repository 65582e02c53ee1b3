using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Outpost.Management.ProvisioningServices;

/// <summary>Ids, names and host names of Device Provisioning Service instances.</summary>
internal static partial class ProvisioningServiceIds
{
    public const string Type = "Microsoft.Devices/provisioningServices";

    public static string Service(string subscriptionId, string resourceGroup, string name) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{Type}/{name}";

    /// <summary>A DPS instance's own host (service API): under <c>dps.</c> so no hub name can ever take it.</summary>
    public static string ServiceHostName(string name, string dnsSuffix) => $"{name}.dps.{dnsSuffix}".ToLowerInvariant();

    /// <summary>The global device endpoint every instance shares, as Azure's global.azure-devices-provisioning.net; devices name their instance by ID scope.</summary>
    public static string DeviceHostName(string dnsSuffix) => $"global.dps.{dnsSuffix}".ToLowerInvariant();

    /// <summary>ID scopes look like Azure's: "0ne" and eight hexadecimal digits.</summary>
    public static string NewIdScope() => "0ne" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    /// <summary>Null when the name is valid, else what is wrong: 3–64 letters, digits and '-', starting and ending with a letter or digit.</summary>
    public static string? Problem(string name) =>
        Pattern().IsMatch(name) ? null : $"The provisioning service name '{name}' is invalid: use 3 to 64 letters, digits and '-', starting and ending with a letter or digit.";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9-]{1,62}[a-zA-Z0-9]$")]
    private static partial Regex Pattern();
}
