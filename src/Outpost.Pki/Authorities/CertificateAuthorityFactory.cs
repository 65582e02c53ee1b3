using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.Pki.Certificates;
using Outpost.Pki.KeyProtection;

namespace Outpost.Pki.Authorities;

/// <summary>
/// Creates the two CA tiers of a namespace: the root (the credential) and one issuing CA per policy, both ECDSA P-384
/// with SHA-384 as Azure Device Registry uses. Private keys leave this class only encrypted by the <see cref="KeyProtector"/>.
/// </summary>
public sealed class CertificateAuthorityFactory
{
    /// <summary>
    /// Default root CA lifetime: 20 years. Azure does not document the lifetime of the namespace CAs (ADR §1 marks it
    /// UNCONFIRMED); this is a common choice for private roots.
    /// </summary>
    public static readonly TimeSpan DefaultRootLifetime = TimeSpan.FromDays(7305);

    /// <summary>
    /// Default issuing CA lifetime: 10 years, clamped to the root's notAfter. Azure's value is likewise UNCONFIRMED.
    /// </summary>
    public static readonly TimeSpan DefaultIssuingLifetime = TimeSpan.FromDays(3653);

    /// <summary>Organization (O) in every CA subject.</summary>
    public const string OrganizationName = "Outpost";

    private readonly KeyProtector _protector;
    private readonly TimeProvider _timeProvider;

    public CertificateAuthorityFactory(KeyProtector protector, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _protector = protector;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Creates a self-signed root CA with subject <c>CN={commonName}, O=Outpost</c>: BasicConstraints CA:true pathLen 1
    /// (critical), KeyUsage keyCertSign | cRLSign | digitalSignature (critical), SubjectKeyIdentifier.
    /// </summary>
    /// <param name="keyOwnerId">Associated data for the encrypted key, e.g. the credential's ARM resource id.</param>
    public CertificateAuthorityMaterial CreateRoot(string commonName, string keyOwnerId, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        ArgumentException.ThrowIfNullOrEmpty(keyOwnerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        CertificateRequest request = CreateCaRequest(commonName, key, pathLengthConstraint: 1);
        var (notBefore, notAfter) = ValidityWindow.Compute(_timeProvider.GetUtcNow(), lifetime, issuer: null);

        X500DistinguishedName subject = request.SubjectName;
        using X509Certificate2 certificate = request.Create(
            subject, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, SerialNumberGenerator.Next());

        return new CertificateAuthorityMaterial(certificate.RawData, SigningKeys.Protect(_protector, key, keyOwnerId));
    }

    /// <summary>
    /// Creates an issuing CA signed by <paramref name="root"/>, subject <c>CN={commonName}, O=Outpost</c>:
    /// BasicConstraints CA:true pathLen 0 (critical), KeyUsage keyCertSign | cRLSign | digitalSignature (critical),
    /// SubjectKeyIdentifier, AuthorityKeyIdentifier. Its notAfter is clamped to the root's.
    /// </summary>
    /// <param name="rootKeyOwnerId">The associated data the root key was protected with.</param>
    /// <param name="keyOwnerId">Associated data for the new key, e.g. the policy's ARM resource id.</param>
    /// <exception cref="CryptographicException">The root key does not decrypt or does not match the root certificate.</exception>
    /// <exception cref="InvalidOperationException">The root has expired.</exception>
    public CertificateAuthorityMaterial CreateIssuing(
        CertificateAuthorityMaterial root, string rootKeyOwnerId, string commonName, string keyOwnerId, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrEmpty(rootKeyOwnerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        ArgumentException.ThrowIfNullOrEmpty(keyOwnerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);

        using X509Certificate2 rootCertificate = X509CertificateLoader.LoadCertificate(root.CertificateDer);
        CertificateValidity rootValidity = CertificateValidity.Read(root.CertificateDer);
        var (notBefore, notAfter) = ValidityWindow.Compute(_timeProvider.GetUtcNow(), lifetime, rootValidity);
        if (notAfter <= notBefore)
        {
            throw new InvalidOperationException(
                $"The root CA '{rootCertificate.Subject}' is not valid now (it expires {rootValidity.NotAfter:O}); create a new root first.");
        }

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        CertificateRequest request = CreateCaRequest(commonName, key, pathLengthConstraint: 0);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            rootCertificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        using X509Certificate2 certificate = SignWithRoot(request, root, rootKeyOwnerId, rootCertificate, notBefore, notAfter);
        return new CertificateAuthorityMaterial(certificate.RawData, SigningKeys.Protect(_protector, key, keyOwnerId));
    }

    private X509Certificate2 SignWithRoot(
        CertificateRequest request,
        CertificateAuthorityMaterial root,
        string rootKeyOwnerId,
        X509Certificate2 rootCertificate,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        using ECDsa rootKey = SigningKeys.Open(_protector, root.ProtectedPrivateKey, rootKeyOwnerId, rootCertificate);
        return request.Create(
            rootCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), notBefore, notAfter, SerialNumberGenerator.Next());
    }

    private static CertificateRequest CreateCaRequest(string commonName, ECDsa key, int pathLengthConstraint)
    {
        // The builder takes the name as one value, so a common name with commas or '=' cannot add RDNs. It encodes
        // RDNs in the reverse order of the calls, so this yields the usual O-then-CN encoding, shown as "CN=…, O=Outpost".
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        subject.AddOrganizationName(OrganizationName);

        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint, critical: true));

        // digitalSignature as well as keyCertSign|cRLSign: ADR's bring-your-own-root rules require it on a root, and
        // our CAs should pass the same checks as an external one.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }
}
