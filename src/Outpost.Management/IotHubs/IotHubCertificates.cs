using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Outpost.Core.Certificates;
using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Management.IotHubs;

/// <summary>
/// <c>Microsoft.Devices/IotHubs/certificates</c> resources: CA certificates a hub trusts for device authentication.
/// Those that credential synchronisation writes carry the Device Registry policy they came from.
/// </summary>
internal static class IotHubCertificates
{
    public static string Id(string hubId, string name) => $"{hubId}/certificates/{name}";

    /// <summary>Reads PEM text or base64 DER; anything else is refused with what was expected.</summary>
    public static X509Certificate2 Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent, "properties.certificate is required: the certificate as PEM or as base64 DER.", "properties.certificate");
        }

        return CertificateText.TryLoad(text) ?? throw new OutpostException(ErrorCode.InvalidParameter,
            "properties.certificate could not be read as an X.509 certificate; send PEM (-----BEGIN CERTIFICATE-----) or base64 DER.", "properties.certificate");
    }

    public static StoredResource Resource(string hubId, string subscriptionId, string resourceGroup, string name, X509Certificate2 certificate, bool isVerified,
        string? policyResourceId, DateTimeOffset created, DateTimeOffset updated)
    {
        var properties = new JsonObject
        {
            ["subject"] = certificate.Subject,
            ["expiry"] = Rfc1123(certificate.NotAfter.ToUniversalTime()),
            ["thumbprint"] = certificate.Thumbprint,
            ["isVerified"] = isVerified,
            ["created"] = Rfc1123(created),
            ["updated"] = Rfc1123(updated),
            ["certificate"] = certificate.ExportCertificatePem(),
        };
        if (policyResourceId is not null)
        {
            properties["policyResourceId"] = policyResourceId;
        }

        var body = new JsonObject
        {
            ["id"] = Id(hubId, name),
            ["name"] = name,
            ["type"] = IotHubIds.CertificateType,
            ["etag"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(8)),
            ["properties"] = properties,
        };
        return new StoredResource(Id(hubId, name), IotHubIds.CertificateType, subscriptionId, resourceGroup, hubId, body.ToJsonString());
    }

    /// <summary>Azure writes certificate times in RFC 1123 form ("Thu, 12 Oct 2017 19:23:50 GMT").</summary>
    private static string Rfc1123(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
}
