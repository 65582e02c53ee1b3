using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.IntegrationTests.Support;

/// <summary>A test PKI of the kind X.509 enrollment groups use: a root, an intermediate CA, and device certificates it signs.</summary>
internal sealed class DeviceCertificates : IDisposable
{
    private readonly ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public DeviceCertificates(string name)
    {
        var now = DateTimeOffset.UtcNow;
        var rootRequest = new CertificateRequest($"CN={name} root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        Root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        var intermediateRequest = new CertificateRequest($"CN={name} intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        using var signed = intermediateRequest.Create(Root, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        Intermediate = signed.CopyWithPrivateKey(intermediateKey);
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    /// <summary>A device certificate for <paramref name="commonName"/> signed by the intermediate, with its key.</summary>
    public X509Certificate2 Device(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(Intermediate, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        // A PFX round trip gives an exportable, persistable key that TLS on Linux accepts.
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }

    public static string KeyPem(X509Certificate2 certificate) => certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        rootKey.Dispose();
        intermediateKey.Dispose();
    }
}
