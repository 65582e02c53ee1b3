using System.Text.Json.Nodes;
using Outpost.Client;

namespace Outpost.Portal.Components.Provisioning;

/// <summary>How the portal reaches a DPS instance's service API: the provisioningserviceowner key read through listkeys.</summary>
internal static class DpsKeys
{
    private const string Policy = "provisioningserviceowner";

    public static async Task<JsonNode?> CallAsync(OutpostApi api, string dpsId, HttpMethod method, string path, object? body = null)
    {
        var instance = await api.ArmAsync(HttpMethod.Get, dpsId, ApiVersions.Dps, null, CancellationToken.None);
        var keys = await api.ArmAsync(HttpMethod.Post, $"{dpsId}/keys/{Policy}/listkeys", ApiVersions.Dps, new { }, CancellationToken.None);
        var host = Common.Json.Text(instance, "properties.serviceOperationsHostName");
        return (await api.DataPlaneAsync(method, host, $"{path}?api-version={ApiVersions.DpsService}", Policy, Common.Json.Text(keys, "primaryKey"), body, null,
            CancellationToken.None)).Body;
    }
}
