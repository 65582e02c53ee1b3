using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Outpost.Core.Certificates;
using Outpost.Core.SharedAccess;
using Outpost.Core.Storage;
using Outpost.IotHub.Devices;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.DeviceMqtt;

/// <summary>
/// Decides whether a connecting device is who it says, the ways IoT Hub accepts: a SAS token for
/// <c>{host}/devices/{id}</c> signed with one of the device's keys (or a hub policy with DeviceConnect), a self-signed
/// certificate whose SHA-1 or SHA-256 thumbprint the device registered, or a certificate whose CN is the device id
/// and whose chain leads to a verified CA certificate of this hub (a policy CA synchronised from the hub's Device
/// Registry namespace, or one uploaded). The device must be registered and enabled. Refusals say why, for the log.
/// </summary>
internal sealed class DeviceAuthenticator(IOutpostStore store, HubServiceCaller serviceCaller, TimeProvider time)
{
    /// <returns>The device, how it authenticated, and for a CA-signed certificate the thumbprint of the hub CA it chained to.</returns>
    public async Task<(DeviceRecord Device, string AuthMethod, string? Anchor)> AuthenticateAsync(HubInstance hub, DeviceRecord? device, string deviceId, string? password,
        X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        if (device is null)
        {
            throw Refused($"device '{deviceId}' is not registered in hub '{hub.Name}'");
        }

        if (!device.Enabled)
        {
            throw Refused($"device '{deviceId}' is disabled");
        }

        if (!string.IsNullOrEmpty(password))
        {
            await VerifyTokenAsync(hub, device, password, cancellationToken);
            return (device, "sas", null);
        }

        if (certificate is null)
        {
            throw Refused("neither a SAS token (the MQTT password) nor a client certificate was presented");
        }

        switch (device.AuthenticationType)
        {
            case "selfSigned":
                var sha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);
                return device.Thumbprints.Any(print => print.Equals(certificate.Thumbprint, StringComparison.OrdinalIgnoreCase) || print.Equals(sha256, StringComparison.OrdinalIgnoreCase))
                    ? RequireCurrent(certificate, device)
                    : throw Refused($"the client certificate's thumbprint {certificate.Thumbprint} is not one registered for device '{deviceId}'");
            case "certificateAuthority":
                var anchor = await VerifyChainAsync(hub, deviceId, certificate, cancellationToken);
                await RequireNotRevokedAsync(hub, deviceId, certificate, cancellationToken);
                return (device, "certificateAuthority", anchor);
            default:
                throw Refused($"device '{deviceId}' authenticates with SAS keys, and no token was sent as the password");
        }
    }

    private async Task VerifyTokenAsync(HubInstance hub, DeviceRecord device, string password, CancellationToken cancellationToken)
    {
        if (hub.DisableDeviceSas)
        {
            throw Refused($"hub '{hub.Name}' does not accept device SAS tokens (disableLocalAuth or disableDeviceSAS is set); connect with a certificate");
        }

        if (!SharedAccessSignature.TryParse(password, out var token) || token is null)
        {
            throw Refused("the password is not a SharedAccessSignature (sr=…&sig=…&se=…)");
        }

        var resource = $"{hub.HostName}/devices/{device.DeviceId}";
        // The host in sr may carry the port the connection string gave; compare without it.
        var covered = token.Covers(resource) || StripPort(token) is { } withoutPort && withoutPort.Covers(resource);
        if (!covered)
        {
            throw Refused($"the token is for '{token.Resource}', not for '{resource}'");
        }

        if (token.IsExpired(time.GetUtcNow()))
        {
            throw Refused($"the token expired at {DateTimeOffset.FromUnixTimeSeconds(token.Expiry):O}");
        }

        if (token.KeyName is { Length: > 0 })
        {
            var rule = await serviceCaller.RequireSignedAsync(hub, StripPort(token) ?? token, cancellationToken);
            if (!rule.Grants("DeviceConnect"))
            {
                throw Refused($"policy '{rule.KeyName}' has no DeviceConnect right");
            }

            return;
        }

        if (!device.SymmetricKeys.Any(token.IsSignedWith))
        {
            throw Refused($"the token is not signed with a key of device '{device.DeviceId}'");
        }
    }

    private async Task<string> VerifyChainAsync(HubInstance hub, string deviceId, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.Equals(commonName, deviceId, StringComparison.Ordinal))
        {
            throw Refused($"the client certificate's CN is '{commonName}', but the device connects as '{deviceId}'");
        }

        var certificates = await store.GetResourcesAsync(new ResourceQuery("Microsoft.Devices/IotHubs/Certificates", hub.SubscriptionId, hub.ResourceGroup, hub.Id), cancellationToken);
        foreach (var resource in certificates)
        {
            var properties = JsonNode.Parse(resource.Body)?["properties"];
            if (properties?["isVerified"]?.GetValue<bool>() != true)
            {
                continue;
            }

            using var anchor = CertificateText.TryLoad(properties["certificate"]?.GetValue<string>());
            if (anchor is not null && CertificateChains.LeadsTo(certificate, [], anchor, time.GetUtcNow()))
            {
                return anchor.Thumbprint;
            }
        }

        throw Refused($"the client certificate of '{deviceId}' (issuer '{certificate.Issuer}') does not chain to a verified CA certificate of hub '{hub.Name}'; "
            + "synchronise its policy's CA to the hub (Sync all) or upload and verify its CA");
    }

    /// <summary>
    /// What ADR revocation left in the device's record in the hub's namespace: IoT Hub reads no CRLs, it checks the
    /// device's current state. A revoked serial number or a disabled record refuses the certificate.
    /// </summary>
    private async Task RequireNotRevokedAsync(HubInstance hub, string deviceId, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        if (hub.NamespaceId is not { } namespaceId || await store.GetResourceAsync($"{namespaceId}/devices/{deviceId}", cancellationToken) is not { } record)
        {
            return;
        }

        var properties = JsonNode.Parse(record.Body)?["properties"];
        if (properties?["enabled"]?.GetValue<bool>() == false)
        {
            throw Refused($"device '{deviceId}' is disabled in its Device Registry namespace");
        }

        var serial = certificate.SerialNumber.TrimStart('0');
        if (properties?["revokedCertificateSerialNumbers"] is JsonArray revoked
            && revoked.Any(entry => string.Equals(entry?.GetValue<string>().TrimStart('0'), serial, StringComparison.OrdinalIgnoreCase)))
        {
            throw Refused($"the certificate of '{deviceId}' (serial {certificate.SerialNumber}) was revoked; the device must onboard again for a new one");
        }
    }

    private (DeviceRecord, string, string?) RequireCurrent(X509Certificate2 certificate, DeviceRecord device)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now >= certificate.NotBefore.ToUniversalTime() && now <= certificate.NotAfter.ToUniversalTime()
            ? (device, "selfSigned", null)
            : throw Refused($"the client certificate is valid from {certificate.NotBefore:O} to {certificate.NotAfter:O}, not now");
    }

    private static SharedAccessSignature? StripPort(SharedAccessSignature token)
    {
        var slash = token.Resource.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? token.Resource : token.Resource[..slash];
        var colon = host.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : token with { Resource = host[..colon] + token.Resource[host.Length..] };
    }

    private static HubException Refused(string reason) => new(HubError.Unauthorized, reason);
}
