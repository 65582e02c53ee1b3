namespace Outpost.Portal.Components.Common;

/// <summary>Resource ids of what the portal shows, as ARM spells them.</summary>
internal static class ArmPaths
{
    public static string Subscription(string subscriptionId) => $"/subscriptions/{subscriptionId}";

    public static string Group(string subscriptionId, string group) => $"{Subscription(subscriptionId)}/resourceGroups/{group}";

    public static string Namespace(string subscriptionId, string group, string name) => $"{Group(subscriptionId, group)}/providers/Microsoft.DeviceRegistry/namespaces/{name}";

    public static string Policies(string namespaceId) => $"{namespaceId}/credentials/default/policies";

    public static string Hub(string subscriptionId, string group, string name) => $"{Group(subscriptionId, group)}/providers/Microsoft.Devices/IotHubs/{name}";

    public static string Dps(string subscriptionId, string group, string name) => $"{Group(subscriptionId, group)}/providers/Microsoft.Devices/provisioningServices/{name}";

    public static string Identity(string subscriptionId, string group, string name) => $"{Group(subscriptionId, group)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";

    /// <summary>The resource group named in a resource id.</summary>
    public static string GroupOf(string resourceId) => Segment(resourceId, "resourceGroups");

    /// <summary>The segment after <paramref name="key"/> in a resource id (case-insensitive).</summary>
    public static string Segment(string resourceId, string key)
    {
        var segments = resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(segments, segment => string.Equals(segment, key, StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index + 1 < segments.Length ? segments[index + 1] : string.Empty;
    }

    /// <summary>The last segment: a resource's name.</summary>
    public static string NameOf(string resourceId) => resourceId.TrimEnd('/')[(resourceId.TrimEnd('/').LastIndexOf('/') + 1)..];
}
