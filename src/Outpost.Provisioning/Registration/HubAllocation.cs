using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.Registration;

/// <summary>
/// Chooses the hub a device is assigned to among the enrollment's hubs (or all linked hubs): hashed spreads devices
/// evenly and stably by registration id, static and geoLatency take the first (one server has one location), custom
/// asks the enrollment's webhook (<see cref="CustomAllocationWebhook"/>). An assigned device stays where it is when
/// its reprovision policy says not to update the hub assignment.
/// </summary>
internal static class HubAllocation
{
    /// <summary>The hubs a device of <paramref name="enrollment"/> may be assigned to: the enrollment's own, else every linked hub.</summary>
    public static IReadOnlyList<string> Candidates(JsonObject enrollment, ProvisioningInstance instance)
    {
        var requested = (enrollment["iotHubs"] as JsonArray ?? []).Select(hub => hub?.GetValue<string>()).OfType<string>().ToList();
        var candidates = requested.Count > 0 ? requested : [.. instance.LinkedHubHostNames];
        return candidates.Count > 0
            ? candidates
            : throw new OutpostException(ErrorCode.Conflict,
                $"Provisioning service '{instance.Name}' has no linked IoT hub to assign devices to. Link one (properties.iotHubs) first.");
    }

    /// <summary>True when the enrollment delegates allocation to its webhook.</summary>
    public static bool IsCustom(JsonObject enrollment, ProvisioningInstance instance) =>
        string.Equals(Policy(enrollment, instance), "custom", StringComparison.OrdinalIgnoreCase);

    public static string Choose(JsonObject enrollment, ProvisioningInstance instance, string registrationId, string? currentHub)
    {
        var candidates = Candidates(enrollment, instance);

        var keep = enrollment["reprovisionPolicy"]?["updateHubAssignment"]?.GetValue<bool>() == false;
        if (currentHub is not null && (keep || candidates.Contains(currentHub, StringComparer.OrdinalIgnoreCase)))
        {
            return currentHub;
        }

        if (!Policy(enrollment, instance).Equals("hashed", StringComparison.OrdinalIgnoreCase))
        {
            return candidates[0];
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(registrationId.ToLowerInvariant()));
        return candidates[(int)(BitConverter.ToUInt32(hash, 0) % (uint)candidates.Count)];
    }

    private static string Policy(JsonObject enrollment, ProvisioningInstance instance) =>
        enrollment["allocationPolicy"]?.GetValue<string>() ?? instance.Body["properties"]?["allocationPolicy"]?.GetValue<string>() ?? "hashed";
}
