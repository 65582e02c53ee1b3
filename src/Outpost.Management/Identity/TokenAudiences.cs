namespace Outpost.Management.Identity;

/// <summary>The resources of <c>operator-contract.md</c>: management, hub data plane and DPS service calls.</summary>
internal static class TokenAudiences
{
    public static readonly TokenAudience Management = new(
        "https://management.azure.com/.default",
        ["https://management.azure.com/", "https://management.azure.com", "https://management.core.windows.net/"]);

    public static readonly TokenAudience IotHub = new("https://iothubs.azure.net/.default", ["https://iothubs.azure.net", "https://iothubs.azure.net/"]);

    public static readonly TokenAudience DeviceProvisioning = new(
        "https://azure-devices-provisioning.net/.default", ["https://azure-devices-provisioning.net", "https://azure-devices-provisioning.net/"]);

    /// <summary>The slice of Microsoft Graph that creates service principals (see Directory/GraphEndpoints).</summary>
    public static readonly TokenAudience Graph = new("https://graph.microsoft.com/.default", ["https://graph.microsoft.com", "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000"]);

    public static readonly IReadOnlyList<TokenAudience> All = [Management, IotHub, DeviceProvisioning, Graph];

    /// <summary>True when <paramref name="scope"/> is this server's own origin as a resource (<c>https://host:port/.default</c>).</summary>
    public static bool IsServerScope(string scope, string origin) =>
        string.Equals(scope.Trim().Replace("/.default", string.Empty, StringComparison.OrdinalIgnoreCase).TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Finds the resource for a requested scope (<c>https://management.azure.com/.default</c>, or the bare resource);
    /// null when it names no resource Outpost serves or asks for several at once, which client credentials cannot do.
    /// </summary>
    public static TokenAudience? ForScope(string scope)
    {
        var requested = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requested.Length != 1)
        {
            return null;
        }

        const string DefaultSuffix = "/.default";
        var resource = requested[0].EndsWith(DefaultSuffix, StringComparison.OrdinalIgnoreCase) ? requested[0][..^DefaultSuffix.Length] : requested[0];
        return All.FirstOrDefault(audience => audience.Accepts(resource) || audience.Accepts(resource + "/"));
    }
}
