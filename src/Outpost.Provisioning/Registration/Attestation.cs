using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Outpost.Core.Certificates;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Provisioning.Enrollments;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.Registration;

/// <summary>The enrollment a device's credential matched, and what the hub should know the device by.</summary>
internal sealed record AttestedDevice(JsonObject Enrollment, EnrollmentKind Kind, string DeviceId, string? DeviceKey, string? Thumbprint);

/// <summary>
/// Matches a registering device to an enrollment, as DPS does: an individual enrollment for the registration id
/// first, then the groups. Symmetric-key group devices sign with <c>HMAC-SHA256(groupKey, registrationId)</c>;
/// X.509 devices present a chain whose leaf CN is the registration id and which leads to a group's signing
/// certificate. Every refusal is an authentication failure that says what did not match.
/// </summary>
internal sealed class Attestation(IOutpostStore store, TimeProvider time)
{
    private static readonly string[] KeySlots = ["primaryKey", "secondaryKey"];

    public async Task<AttestedDevice> AttestAsync(ProvisioningInstance instance, string registrationId, DeviceCredential credential, CancellationToken cancellationToken)
    {
        var individual = await store.GetResourceAsync(EnrollmentKind.Individual.Id(instance.Id, registrationId), cancellationToken);
        if (individual is not null)
        {
            var enrollment = JsonNode.Parse(individual.Body)!.AsObject();
            var deviceId = enrollment["deviceId"]?.GetValue<string>() ?? registrationId;
            return credential switch
            {
                DeviceCredential.Token token => VerifyIndividualKey(enrollment, token, registrationId, deviceId),
                DeviceCredential.Certificate certificate => VerifyIndividualCertificate(enrollment, certificate, registrationId, deviceId),
                _ => throw new InvalidOperationException("Unknown credential."),
            };
        }

        var groups = await store.GetResourcesAsync(new ResourceQuery(EnrollmentKind.Group.Type, instance.SubscriptionId, instance.ResourceGroup, instance.Id), cancellationToken);
        foreach (var group in groups.Select(resource => JsonNode.Parse(resource.Body)!.AsObject()))
        {
            var matched = credential switch
            {
                DeviceCredential.Token token => MatchGroupKey(group, token, registrationId),
                DeviceCredential.Certificate certificate => MatchGroupCertificate(group, certificate, registrationId),
                _ => null,
            };
            if (matched is not null)
            {
                return matched;
            }
        }

        throw Unauthorized(credential is DeviceCredential.Token
            ? $"No enrollment of this service accepts the SAS token of registration '{registrationId}': neither an individual enrollment's key nor a key derived from an enrollment group's key signed it."
            : $"The certificate chain of registration '{registrationId}' leads to no enrollment: no individual enrollment has its certificate and no enrollment group's signing certificate is in or above its chain.");
    }

    private static AttestedDevice VerifyIndividualKey(JsonObject enrollment, DeviceCredential.Token token, string registrationId, string deviceId)
    {
        var keys = enrollment["attestation"]?["symmetricKey"];
        if (keys is null)
        {
            throw Unauthorized($"The individual enrollment '{registrationId}' uses {enrollment["attestation"]?["type"]} attestation, not a symmetric key.");
        }

        var key = KeySlots.Select(slot => keys[slot]?.GetValue<string>()).OfType<string>()
            .FirstOrDefault(candidate => token.Signature.IsSignedWith(candidate));
        return key is null
            ? throw Unauthorized($"The SAS token of registration '{registrationId}' is not signed with a key of its individual enrollment.")
            : new AttestedDevice(enrollment, EnrollmentKind.Individual, deviceId, key, null);
    }

    private static AttestedDevice VerifyIndividualCertificate(JsonObject enrollment, DeviceCredential.Certificate certificate, string registrationId, string deviceId)
    {
        RequireLeafFor(certificate, registrationId);
        var enrolled = enrollment["attestation"]?["x509"]?["clientCertificates"] as JsonObject
            ?? throw Unauthorized($"The individual enrollment '{registrationId}' does not use X.509 client certificates.");
        var thumbprints = enrolled.Select(slot => slot.Value?["info"]?["sha1Thumbprint"]?.GetValue<string>()).OfType<string>();
        return thumbprints.Contains(certificate.Leaf.Thumbprint, StringComparer.OrdinalIgnoreCase)
            ? new AttestedDevice(enrollment, EnrollmentKind.Individual, deviceId, null, certificate.Leaf.Thumbprint)
            : throw Unauthorized($"The client certificate {certificate.Leaf.Thumbprint} is not one of the certificates of individual enrollment '{registrationId}'.");
    }

    private static AttestedDevice? MatchGroupKey(JsonObject group, DeviceCredential.Token token, string registrationId)
    {
        if (group["attestation"]?["symmetricKey"] is not JsonObject keys)
        {
            return null;
        }

        foreach (var slot in KeySlots)
        {
            if (keys[slot]?.GetValue<string>() is { } groupKey)
            {
                var deviceKey = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(groupKey), Encoding.UTF8.GetBytes(registrationId)));
                if (token.Signature.IsSignedWith(deviceKey))
                {
                    return new AttestedDevice(group, EnrollmentKind.Group, registrationId, deviceKey, null);
                }
            }
        }

        return null;
    }

    /// <summary>The group matches when its signing certificate is in the presented chain, or signed its top, and the chain verifies up to it.</summary>
    private AttestedDevice? MatchGroupCertificate(JsonObject group, DeviceCredential.Certificate certificate, string registrationId)
    {
        if (group["attestation"]?["x509"]?["signingCertificates"] is not JsonObject signers)
        {
            return null;
        }

        foreach (var (_, entry) in signers)
        {
            var text = entry?["certificate"]?.GetValue<string>();
            using var anchor = CertificateText.TryLoad(text);
            if (anchor is null)
            {
                continue;
            }

            if (CertificateChains.LeadsTo(certificate.Leaf, certificate.Chain.Skip(1), anchor, time.GetUtcNow()))
            {
                RequireLeafFor(certificate, registrationId);
                return new AttestedDevice(group, EnrollmentKind.Group, registrationId, null, certificate.Leaf.Thumbprint);
            }
        }

        return null;
    }

    private static void RequireLeafFor(DeviceCredential.Certificate certificate, string registrationId)
    {
        var commonName = certificate.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.Equals(commonName, registrationId, StringComparison.Ordinal))
        {
            throw Unauthorized($"The client certificate's CN is '{commonName}', but the device registers as '{registrationId}'; they must be equal.");
        }
    }

    private static OutpostException Unauthorized(string message) => new(ErrorCode.AuthenticationFailed, message);
}
