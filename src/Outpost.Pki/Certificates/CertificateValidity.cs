using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Outpost.Pki.Certificates;

/// <summary>
/// The validity window of a certificate, read in UTC straight from its DER.
/// </summary>
/// <remarks>
/// <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.NotAfter"/> is converted to local time,
/// and converting it back is ambiguous in the hour a daylight-saving change repeats; clamping a leaf to its issuer
/// must not depend on the server's time zone.
/// </remarks>
internal readonly record struct CertificateValidity(DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    /// <summary>Reads <c>tbsCertificate.validity</c> (RFC 5280 §4.1).</summary>
    /// <exception cref="CryptographicException">The bytes are not a DER certificate.</exception>
    internal static CertificateValidity Read(ReadOnlyMemory<byte> certificateDer) => ReadWithSerialNumber(certificateDer).Validity;

    /// <summary>
    /// Reads <c>tbsCertificate.serialNumber</c> (as upper-case hex of its content octets, the way
    /// <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> shows it) and the validity.
    /// </summary>
    /// <exception cref="CryptographicException">The bytes are not a DER certificate.</exception>
    internal static (string SerialNumber, CertificateValidity Validity) ReadWithSerialNumber(ReadOnlyMemory<byte> certificateDer)
    {
        try
        {
            var certificate = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
            AsnReader tbs = certificate.ReadSequence();
            var versionTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(versionTag))
            {
                tbs.ReadEncodedValue();
            }

            string serialNumber = Convert.ToHexString(tbs.ReadIntegerBytes().Span);
            tbs.ReadEncodedValue(); // signature
            tbs.ReadEncodedValue(); // issuer
            AsnReader validity = tbs.ReadSequence();
            return (serialNumber, new CertificateValidity(ReadTime(validity), ReadTime(validity)));
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The certificate could not be decoded as DER.", e);
        }
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            ? reader.ReadUtcTime().ToUniversalTime()
            : reader.ReadGeneralizedTime().ToUniversalTime();
}
