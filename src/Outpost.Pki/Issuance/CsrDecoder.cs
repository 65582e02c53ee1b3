using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>Decodes the CSR bytes; the signature is checked later by <see cref="CsrSignatureValidator"/>.</summary>
internal static class CsrDecoder
{
    internal const string MalformedMessage =
        "The certificate signing request could not be decoded as a DER PKCS#10 request. " +
        "Expected the DER bytes of a PKCS#10 CertificationRequest (RFC 2986), without PEM armour.";

    /// <summary>
    /// Loads the CSR without verifying its signature, so that an unsupported key type is reported as such rather than
    /// as a bad signature.
    /// </summary>
    internal static CertificateRequest Decode(byte[] der)
    {
        if (der.Length == 0)
        {
            throw CsrRejection.Create("The certificate signing request is empty. " + MalformedMessage);
        }

        try
        {
            return CertificateRequest.LoadSigningRequest(
                der, HashAlgorithmName.SHA384, CertificateRequestLoadOptions.SkipSignatureValidation);
        }
        catch (CryptographicException)
        {
            throw CsrRejection.Create(MalformedMessage);
        }
    }
}
