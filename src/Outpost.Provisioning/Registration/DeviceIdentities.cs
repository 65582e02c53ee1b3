using System.Text.Json.Nodes;
using Outpost.Core.Storage;
using Outpost.Pki.Issuance;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.Registration;

/// <summary>
/// The identities an assignment creates: the device in the assigned hub's registry (authenticated by the issued
/// certificate's CA, by the device's symmetric key, or by its own certificate's thumbprint) and, when a certificate
/// was issued, the device in the Device Registry namespace with its policy.
/// </summary>
internal static class DeviceIdentities
{
    public const string HubDeviceType = "Microsoft.Devices/IotHubs/devices";
    public const string RegistryDeviceType = "Microsoft.DeviceRegistry/namespaces/devices";

    /// <summary>
    /// Creates or updates the device in <paramref name="hubId"/>. Its twin starts from the enrollment's
    /// <c>initialTwin</c>; a device that moved from <paramref name="previousHubId"/> brings its twin along when the
    /// reprovision policy migrates device data, and starts over from <c>initialTwin</c> when it does not.
    /// </summary>
    public static async Task PutHubDeviceAsync(StoreChangeSet changes, IOutpostStore store, string hubId, string? previousHubId, AttestedDevice device,
        IssuedCertificate? issued, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = $"{hubId}/devices/{device.DeviceId.ToLowerInvariant()}";
        var existing = await store.GetResourceAsync(id, cancellationToken);
        var body = existing is null ? new JsonObject { ["deviceId"] = device.DeviceId, ["generationId"] = Guid.NewGuid().ToString("N")[..18] } : JsonNode.Parse(existing.Body)!.AsObject();
        body["etag"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        body["status"] ??= "enabled";
        body["connectionState"] ??= "Disconnected";
        body["lastActivityTime"] ??= "0001-01-01T00:00:00Z";
        // Devices that present a CA-signed certificate (an issued one, or one matched through a group's signing
        // certificate) authenticate by their CA; an individual X.509 enrollment pins the device's own thumbprint.
        body["authentication"] = issued is not null || (device.Thumbprint is not null && device.Kind == Enrollments.EnrollmentKind.Group)
            ? new JsonObject { ["type"] = "certificateAuthority" }
            : device.DeviceKey is not null
                ? new JsonObject { ["type"] = "sas", ["symmetricKey"] = new JsonObject { ["primaryKey"] = device.DeviceKey, ["secondaryKey"] = device.DeviceKey } }
                : new JsonObject { ["type"] = "selfSigned", ["x509Thumbprint"] = new JsonObject { ["primaryThumbprint"] = device.Thumbprint, ["secondaryThumbprint"] = device.Thumbprint } };
        body["capabilities"] = device.Enrollment["capabilities"]?.DeepClone() ?? new JsonObject { ["iotEdge"] = false };
        if (existing is null)
        {
            body["twin"] = await StartingTwinAsync(store, previousHubId, device, cancellationToken);
        }

        body["statusUpdatedTime"] ??= now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var segments = hubId.Split('/');
        changes.PutResource(new StoredResource(id, HubDeviceType, segments[2], segments[4], hubId, body.ToJsonString()), existing?.Version ?? 0);
    }

    private static async Task<JsonObject> StartingTwinAsync(IOutpostStore store, string? previousHubId, AttestedDevice device, CancellationToken cancellationToken)
    {
        var migrate = device.Enrollment["reprovisionPolicy"]?["migrateDeviceData"]?.GetValue<bool>() != false;
        if (migrate && previousHubId is not null
            && await store.GetResourceAsync($"{previousHubId}/devices/{device.DeviceId.ToLowerInvariant()}", cancellationToken) is { } previous
            && JsonNode.Parse(previous.Body)?["twin"] is JsonObject moved)
        {
            return moved.DeepClone().AsObject();
        }

        var initial = device.Enrollment["initialTwin"];
        return new JsonObject
        {
            ["tags"] = initial?["tags"]?.DeepClone() ?? new JsonObject(),
            ["properties"] = new JsonObject
            {
                ["desired"] = initial?["properties"]?["desired"]?.DeepClone() ?? new JsonObject(),
                ["reported"] = new JsonObject(),
            },
        };
    }

    public static async Task PutRegistryDeviceAsync(StoreChangeSet changes, IOutpostStore store, ProvisioningInstance instance, AttestedDevice device, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (instance.NamespaceId is not { } namespaceId || device.Enrollment["credentialPolicyName"]?.GetValue<string>() is not { } policy)
        {
            return;
        }

        var id = $"{namespaceId}/devices/{device.DeviceId}";
        var existing = await store.GetResourceAsync(id, cancellationToken);
        if (existing is not null && JsonNode.Parse(existing.Body)?["properties"]?["enabled"]?.GetValue<bool>() == false)
        {
            // Revoked with disable: ADR keeps such a device from onboarding again.
            throw new Core.Errors.OutpostException(Core.Errors.ErrorCode.AuthorizationFailed,
                $"Device '{device.DeviceId}' is disabled in its Device Registry namespace (its certificates were revoked with disable), so it cannot onboard.");
        }

        var body = existing is null
            ? new JsonObject
            {
                ["id"] = id,
                ["name"] = device.DeviceId,
                ["type"] = RegistryDeviceType,
                ["location"] = instance.Body["location"]?.GetValue<string>(),
                ["properties"] = new JsonObject { ["uuid"] = Guid.NewGuid().ToString(), ["enabled"] = true, ["provisioningState"] = "Succeeded", ["version"] = 1 },
            }
            : JsonNode.Parse(existing.Body)!.AsObject();
        body["properties"]!["policy"] = new JsonObject { ["resourceId"] = $"{namespaceId}/credentials/default/policies/{policy}" };
        body["properties"]!["lastTransitionTime"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var segments = namespaceId.Split('/');
        changes.PutResource(new StoredResource(id, RegistryDeviceType, segments[2], segments[4], namespaceId, body.ToJsonString()), existing?.Version ?? 0);
    }
}
