using Outpost.Client;

namespace Outpost.Portal.Components.IotHubs;

/// <summary>How the portal reaches a hub's service API, as the Azure portal does: the iothubowner key read through listkeys.</summary>
internal static class HubKeys
{
    public const string Policy = "iothubowner";

    public static async Task<(string HostName, string Key)> ReadAsync(OutpostApi api, string hubId)
    {
        var hub = await api.ArmAsync(HttpMethod.Get, hubId, ApiVersions.IotHub, null, CancellationToken.None);
        var keys = await api.ArmAsync(HttpMethod.Post, $"{hubId}/IotHubKeys/{Policy}/listkeys", ApiVersions.IotHub, new { }, CancellationToken.None);
        return (Common.Json.Text(hub, "properties.hostName"), Common.Json.Text(keys, "primaryKey"));
    }
}
