using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Core.Certificates;

/// <summary>Certificates as APIs carry them: PEM text or base64 DER, whichever the client sent.</summary>
public static class CertificateText
{
    /// <summary>Reads PEM or base64 DER; null when the text is neither.</summary>
    public static X509Certificate2? TryLoad(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
