using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.Registration;

/// <summary>
/// Chooses the hub a device is assigned to among the enrollment's hubs (or all linked hubs): hashed spreads devices
/// evenly and stably by registration id, static and geoLatency take the first (one server has one location). An
/// assigned device stays where it is when its reprovision policy says not to update the hub assignment.
/// </summary>
internal static class HubAllocation
{
    public static string Choose(JsonObject enrollment, ProvisioningInstance instance, string registrationId, string? currentHub)
    {
        var requested = (enrollment["iotHubs"] as JsonArray ?? []).Select(hub => hub?.GetValue<string>()).OfType<string>().ToList();
        var candidates = requested.Count > 0 ? requested : [.. instance.LinkedHubHostNames];
        if (candidates.Count == 0)
        {
            throw new OutpostException(ErrorCode.Conflict,
                $"Provisioning service '{instance.Name}' has no linked IoT hub to assign devices to. Link one (properties.iotHubs) first.");
        }

        var keep = enrollment["reprovisionPolicy"]?["updateHubAssignment"]?.GetValue<bool>() == false;
        if (currentHub is not null && (keep || candidates.Contains(currentHub, StringComparer.OrdinalIgnoreCase)))
        {
            return currentHub;
        }

        var policy = enrollment["allocationPolicy"]?.GetValue<string>() ?? instance.Body["properties"]?["allocationPolicy"]?.GetValue<string>() ?? "hashed";
        if (policy.Equals("custom", StringComparison.OrdinalIgnoreCase))
        {
            throw new OutpostException(ErrorCode.FeatureNotProvided, "Custom allocation (webhook) is not supported by this server yet; use hashed, static or geoLatency.");
        }

        if (!policy.Equals("hashed", StringComparison.OrdinalIgnoreCase))
        {
            return candidates[0];
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(registrationId.ToLowerInvariant()));
        return candidates[(int)(BitConverter.ToUInt32(hash, 0) % (uint)candidates.Count)];
    }
}
