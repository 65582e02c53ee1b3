using System.Text.Json;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Management.Arm;

namespace Outpost.Management.DeviceRegistry.Policies;

/// <summary>What a client chooses about a policy: the CA key type (create-only) and the leaf validity (editable).</summary>
internal sealed record PolicySettings(string KeyType, int ValidityPeriodInDays)
{
    public const int MinValidityDays = 7;
    public const int MaxValidityDays = 90;
    public const string EccKeyType = "ECC";

    public const string CertificatePath = "properties.certificate";
    public const string KeyTypePath = "properties.certificate.certificateAuthorityConfiguration.keyType";
    public const string ValidityPath = "properties.certificate.leafCertificateConfiguration.validityPeriodInDays";

    /// <summary>Reads a PUT body. Missing values take the Azure CLI's defaults (ECC, 30 days); read-only fields sent back from a GET are ignored.</summary>
    public static PolicySettings FromPut(JsonObject body, int defaultValidityDays)
    {
        var certificate = Certificate(body);
        var authority = certificate is null ? null : ArmJson.OptionalObject(certificate, "certificateAuthorityConfiguration", CertificatePath + ".certificateAuthorityConfiguration");
        var leaf = certificate is null ? null : ArmJson.OptionalObject(certificate, "leafCertificateConfiguration", CertificatePath + ".leafCertificateConfiguration");
        if (authority?["bringYourOwnRoot"] is JsonObject byor && byor["enabled"] is JsonValue enabled && enabled.GetValueKind() == JsonValueKind.True)
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                "Bring-your-own-root policies are not supported by this server yet; omit bringYourOwnRoot to have the namespace root sign the policy's issuing CA.",
                "properties.certificate.certificateAuthorityConfiguration.bringYourOwnRoot");
        }

        var keyType = authority is null ? null : ArmJson.OptionalString(authority, "keyType", KeyTypePath);
        return new PolicySettings(ValidateKeyType(keyType ?? EccKeyType), Validity(leaf) ?? defaultValidityDays);
    }

    public static JsonObject? Certificate(JsonObject body)
    {
        var properties = ArmJson.OptionalObject(body, "properties", "properties");
        return properties is null ? null : ArmJson.OptionalObject(properties, "certificate", CertificatePath);
    }

    /// <summary>Reads <c>validityPeriodInDays</c> from a leaf configuration, refusing anything but a whole number from 7 to 90.</summary>
    public static int? Validity(JsonObject? leaf)
    {
        if (leaf is null || !leaf.TryGetPropertyValue("validityPeriodInDays", out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var days))
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                $"validityPeriodInDays must be a whole number of days from {MinValidityDays} to {MaxValidityDays}, but it was {node.ToJsonString()}.", ValidityPath);
        }

        if (days is < MinValidityDays or > MaxValidityDays)
        {
            throw new OutpostException(ErrorCode.InvalidParameter,
                $"validityPeriodInDays is {days}, but it must be from {MinValidityDays} to {MaxValidityDays} days.", ValidityPath);
        }

        return days;
    }

    private static string ValidateKeyType(string keyType) =>
        string.Equals(keyType, EccKeyType, StringComparison.OrdinalIgnoreCase)
            ? EccKeyType
            : throw new OutpostException(ErrorCode.InvalidParameter,
                $"keyType '{keyType}' is not supported; the only key type is '{EccKeyType}' (ECDSA P-384 with SHA-384).", KeyTypePath);
}
