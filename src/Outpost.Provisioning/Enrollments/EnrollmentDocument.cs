using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Outpost.Core.Certificates;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.Enrollments;

/// <summary>
/// Validates an enrollment or enrollment group and fills in what DPS fills in: generated symmetric keys, X.509
/// certificate info, defaults for status and reprovisioning, timestamps and a new etag. Refusals name the field.
/// </summary>
internal static partial class EnrollmentDocument
{
    private static readonly string[] AllocationPolicies = ["hashed", "geoLatency", "static", "custom"];
    private static readonly string[] PassThrough = ["initialTwin", "capabilities", "optionalDeviceInformation", "customAllocationDefinition", "iotHubHostName"];

    /// <summary>Null when <paramref name="id"/> is a valid registration or group id, else what is wrong with it.</summary>
    public static string? IdProblem(string id, EnrollmentKind kind) =>
        id.Length is > 0 and <= 128 && IdPattern().IsMatch(id)
            ? null
            : $"The {kind.Noun} id '{id}' is invalid: use 1 to 128 letters, digits, '-', '.', '_' and ':', ending with a letter, digit or '-'.";

    public static async Task<JsonObject> BuildAsync(JsonObject body, JsonObject? current, string id, EnrollmentKind kind, ProvisioningInstance instance,
        IOutpostStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (body[kind.IdProperty] is JsonValue given && given.GetValueKind() == JsonValueKind.String && !string.Equals(given.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"The body's {kind.IdProperty} '{given}' differs from the id in the path '{id}'.", kind.IdProperty);
        }

        var document = new JsonObject { [kind.IdProperty] = current?[kind.IdProperty]?.GetValue<string>() ?? id };
        if (kind == EnrollmentKind.Individual && String(body, "deviceId") is { } deviceId)
        {
            document["deviceId"] = deviceId;
        }

        document["attestation"] = Attestation(body["attestation"] as JsonObject ?? throw Invalid("'attestation' is required: {\"type\":\"symmetricKey\"} or an x509 attestation.", "attestation"), kind);
        document["provisioningStatus"] = Choice(String(body, "provisioningStatus") ?? "enabled", ["enabled", "disabled"], "provisioningStatus");
        document["reprovisionPolicy"] = Reprovision(body["reprovisionPolicy"] as JsonObject);
        var allocation = String(body, "allocationPolicy");
        if (allocation is not null)
        {
            document["allocationPolicy"] = Choice(allocation, AllocationPolicies, "allocationPolicy");
            if (allocation.Equals("custom", StringComparison.OrdinalIgnoreCase) && body["customAllocationDefinition"]?["webhookUrl"] is null)
            {
                throw Invalid("allocationPolicy 'custom' needs customAllocationDefinition.webhookUrl (and apiVersion).", "customAllocationDefinition");
            }
        }

        document["iotHubs"] = Hubs(body["iotHubs"] as JsonArray, instance);
        foreach (var name in PassThrough)
        {
            if (body[name] is { } value)
            {
                document[name] = value.DeepClone();
            }
        }

        if (String(body, "credentialPolicyName") is { } policy)
        {
            document["credentialPolicyName"] = await PolicyAsync(policy, instance, store, cancellationToken);
        }

        document["createdDateTimeUtc"] = current?["createdDateTimeUtc"]?.DeepClone() ?? Timestamp(now);
        document["lastUpdatedDateTimeUtc"] = Timestamp(now);
        document["etag"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(8));
        return document;
    }

    private static JsonObject Attestation(JsonObject attestation, EnrollmentKind kind)
    {
        var type = String(attestation, "type") ?? throw Invalid("attestation.type is required: symmetricKey or x509.", "attestation.type");
        switch (type)
        {
            case "symmetricKey":
                var keys = attestation["symmetricKey"] as JsonObject ?? [];
                return new JsonObject
                {
                    ["type"] = "symmetricKey",
                    ["symmetricKey"] = new JsonObject { ["primaryKey"] = Key(keys, "primaryKey"), ["secondaryKey"] = Key(keys, "secondaryKey") },
                };
            case "x509":
                return new JsonObject { ["type"] = "x509", ["x509"] = X509(attestation["x509"] as JsonObject ?? throw Invalid("attestation.x509 is required for type x509.", "attestation.x509"), kind) };
            case "tpm":
                throw new OutpostException(ErrorCode.FeatureNotProvided, "TPM attestation is not supported by this server; use symmetricKey or x509.", "attestation.type");
            default:
                throw Invalid($"attestation.type '{type}' is not valid; use symmetricKey or x509 (tpm is not supported).", "attestation.type");
        }
    }

    /// <summary>Individual enrollments carry the device's own certificates; groups carry the signing (CA) certificates its devices chain to.</summary>
    private static JsonObject X509(JsonObject x509, EnrollmentKind kind)
    {
        var property = kind == EnrollmentKind.Individual ? "clientCertificates" : "signingCertificates";
        if (x509["caReferences"] is JsonObject)
        {
            throw new OutpostException(ErrorCode.FeatureNotProvided,
                "x509.caReferences (certificates uploaded to the service) are not supported; put the CA certificate in x509.signingCertificates.", "attestation.x509.caReferences");
        }

        var certificates = x509[property] as JsonObject ?? throw Invalid($"attestation.x509.{property}.primary.certificate is required for an x509 {kind.Noun}.", $"attestation.x509.{property}");
        var result = new JsonObject();
        foreach (var slot in (string[])["primary", "secondary"])
        {
            if (certificates[slot]?["certificate"] is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            {
                result[slot] = CertificateEntry(text.GetValue<string>(), $"attestation.x509.{property}.{slot}.certificate");
            }
        }

        return result.ContainsKey("primary")
            ? new JsonObject { [property] = result }
            : throw Invalid($"attestation.x509.{property}.primary.certificate is required (PEM or base64 DER).", $"attestation.x509.{property}.primary");
    }

    private static JsonObject CertificateEntry(string text, string path)
    {
        using var certificate = CertificateText.TryLoad(text) ?? throw Invalid($"'{path}' could not be read as an X.509 certificate; send PEM or base64 DER.", path);
        return new JsonObject
        {
            ["certificate"] = text,
            ["info"] = new JsonObject
            {
                ["subjectName"] = certificate.Subject,
                ["sha1Thumbprint"] = certificate.Thumbprint,
                ["sha256Thumbprint"] = Convert.ToHexString(SHA256.HashData(certificate.RawData)),
                ["issuerName"] = certificate.Issuer,
                ["notBeforeUtc"] = Timestamp(certificate.NotBefore.ToUniversalTime()),
                ["notAfterUtc"] = Timestamp(certificate.NotAfter.ToUniversalTime()),
                ["serialNumber"] = certificate.SerialNumber,
                ["version"] = certificate.Version,
            },
        };
    }

    /// <summary>A key sent by the client must be base64 of 16–64 bytes; one left empty is generated, as DPS does.</summary>
    private static string Key(JsonObject keys, string name)
    {
        var key = String(keys, name);
        if (string.IsNullOrEmpty(key))
        {
            return Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        }

        var buffer = new byte[128];
        return Convert.TryFromBase64String(key, buffer, out var length) && length is >= 16 and <= 64
            ? key
            : throw Invalid($"attestation.symmetricKey.{name} must be base64 of 16 to 64 bytes, or empty to have one generated.", $"attestation.symmetricKey.{name}");
    }

    private static JsonObject Reprovision(JsonObject? policy) => new()
    {
        ["updateHubAssignment"] = Bool(policy, "updateHubAssignment") ?? true,
        ["migrateDeviceData"] = Bool(policy, "migrateDeviceData") ?? true,
    };

    /// <summary>An enrollment may narrow allocation to some of the instance's linked hubs, never to others.</summary>
    private static JsonArray Hubs(JsonArray? requested, ProvisioningInstance instance)
    {
        var hubs = new JsonArray();
        foreach (var hub in requested ?? [])
        {
            var name = hub?.GetValueKind() == JsonValueKind.String ? hub.GetValue<string>() : throw Invalid("iotHubs must be an array of hub host names.", "iotHubs");
            if (!instance.LinkedHubHostNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw Invalid($"iotHubs names '{name}', which is not linked to this provisioning service; linked hubs: {string.Join(", ", instance.LinkedHubHostNames)}.", "iotHubs");
            }

            hubs.Add(name.ToLowerInvariant());
        }

        return hubs;
    }

    /// <summary><c>credentialPolicyName</c> must name a policy of the namespace the instance is linked to.</summary>
    private static async Task<string> PolicyAsync(string policy, ProvisioningInstance instance, IOutpostStore store, CancellationToken cancellationToken)
    {
        if (instance.NamespaceId is not { } namespaceId)
        {
            throw Invalid($"credentialPolicyName '{policy}' needs the provisioning service to be linked to a Device Registry namespace (properties.deviceRegistryNamespace), and it is not.",
                "credentialPolicyName");
        }

        var policyId = $"{namespaceId}/credentials/default/policies/{policy}";
        return await store.GetResourceAsync(policyId, cancellationToken) is not null
            ? policy
            : throw Invalid($"credentialPolicyName '{policy}' is not a policy of namespace '{namespaceId}'.", "credentialPolicyName");
    }

    private static string Choice(string value, string[] allowed, string path) =>
        allowed.FirstOrDefault(option => option.Equals(value, StringComparison.OrdinalIgnoreCase))
        ?? throw Invalid($"{path} '{value}' is not valid; use {string.Join(", ", allowed)}.", path);

    private static string? String(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool? Bool(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static OutpostException Invalid(string message, string target) => new(ErrorCode.InvalidParameter, message, target);

    [GeneratedRegex("^[A-Za-z0-9._:-]*[A-Za-z0-9-]$")]
    private static partial Regex IdPattern();
}
