using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Tests.TestSupport;

/// <summary>Makes device CSRs the way a device SDK would.</summary>
internal static class DeviceCsr
{
    public const string DefaultIdentity = "device-001";

    public static byte[] Ec(ECCurve curve, string subject = "CN=" + DefaultIdentity, Action<CertificateRequest>? configure = null)
    {
        using ECDsa key = ECDsa.Create(curve);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        configure?.Invoke(request);
        return request.CreateSigningRequest();
    }

    public static byte[] P256(string subject = "CN=" + DefaultIdentity) => Ec(ECCurve.NamedCurves.nistP256, subject);

    public static byte[] Rsa(string subject = "CN=" + DefaultIdentity)
    {
        using RSA key = RSA.Create(2048);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
    }

    public static byte[] WithSubjectAlternativeName(string dnsName) =>
        Ec(ECCurve.NamedCurves.nistP256, configure: request =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            request.CertificateExtensions.Add(san.Build());
        });

    /// <summary>Flips the last byte inside the signature BIT STRING (the low byte of the ECDSA <c>s</c> value).</summary>
    public static byte[] WithBrokenSignature(byte[] csr)
    {
        AsnReader request = new AsnReader(csr, AsnEncodingRules.DER).ReadSequence();
        request.ReadEncodedValue(); // certificationRequestInfo
        request.ReadEncodedValue(); // signatureAlgorithm
        ReadOnlyMemory<byte> signature = request.ReadEncodedValue();
        Assert.Equal(Asn1Tag.PrimitiveBitString, Asn1Tag.Decode(signature.Span, out _));
        Assert.False(request.HasData);

        // The BIT STRING is the last element, so its final content byte is the final byte of the CSR.
        byte[] broken = csr.ToArray();
        broken[^1] ^= 0x01;
        return broken;
    }
}
