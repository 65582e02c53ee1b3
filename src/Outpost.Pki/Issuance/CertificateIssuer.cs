using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.Pki.Authorities;
using Outpost.Pki.Certificates;
using Outpost.Pki.KeyProtection;

namespace Outpost.Pki.Issuance;

/// <summary>
/// Issues device certificates from a policy's issuing CA. The pipeline (after smallstep's): decode the CSR, run the
/// CSR validators (key, proof of possession, subject), the certificate modifiers (subject, validity, serial,
/// extensions), the certificate validators, then sign with SHA-384.
/// </summary>
/// <remarks>
/// A CSR the device got wrong is refused with <see cref="Core.Errors.OutpostException"/> (<c>CsrRejected</c>) and a
/// message meant for the device. A problem on the server side (expired or mismatched CA, wrong key owner) throws
/// <see cref="InvalidOperationException"/> or <see cref="CryptographicException"/>.
/// </remarks>
public sealed class CertificateIssuer : IDisposable
{
    /// <summary>Smallest accepted <see cref="IssuanceRequest.ValidityDays"/>.</summary>
    public const int MinValidityDays = 1;

    /// <summary>Largest accepted <see cref="IssuanceRequest.ValidityDays"/> (ten years); policies narrow this to 7..90.</summary>
    public const int MaxValidityDays = 3650;

    private readonly TimeProvider _timeProvider;
    private readonly PkiOptions _options;
    private readonly OpenSigningKeys _openKeys;
    private readonly ParsedAuthorities _authorities = new();

    // Key first so that an RSA or Ed25519 CSR is refused for its key rather than as a signature we cannot verify.
    private readonly ICsrValidator[] _csrValidators = [new CsrKeyValidator(), new CsrSignatureValidator(), new CsrSubjectValidator()];

    private readonly ICertificateModifier[] _modifiers =
        [new SubjectModifier(), new ValidityModifier(), new SerialNumberModifier(), new ClientAuthProfileModifier(), new KeyIdentifierModifier()];

    private readonly ICertificateValidator[] _validators = [new ValidityWindowValidator(), new LeafProfileValidator()];

    public CertificateIssuer(KeyProtector protector, TimeProvider timeProvider, PkiOptions options)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _options = options;
        _openKeys = new OpenSigningKeys(protector, timeProvider, options.OpenKeyLifetime);
    }

    public void Dispose()
    {
        _openKeys.Dispose();
        _authorities.Dispose();
    }

    /// <summary>Checks the CSR in <paramref name="request"/> and, if it passes, signs a leaf with the issuing CA.</summary>
    /// <param name="issuing">The policy's issuing CA.</param>
    /// <param name="issuingKeyOwnerId">The associated data the issuing CA's key was protected with.</param>
    /// <param name="root">The namespace root that signed <paramref name="issuing"/>; only its certificate is used.</param>
    /// <exception cref="Core.Errors.OutpostException"><c>CsrRejected</c>: the CSR is malformed or breaks a rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="IssuanceRequest.ValidityDays"/> is outside 1..3650.</exception>
    /// <exception cref="InvalidOperationException">The issuing CA is expired or not signed by <paramref name="root"/>.</exception>
    /// <exception cref="CryptographicException">The issuing CA key does not decrypt for its owner or does not match its certificate.</exception>
    public IssuedCertificate Issue(
        IssuanceRequest request, CertificateAuthorityMaterial issuing, string issuingKeyOwnerId, CertificateAuthorityMaterial root)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.CsrDer, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Identity, nameof(request));
        ArgumentNullException.ThrowIfNull(issuing);
        ArgumentException.ThrowIfNullOrEmpty(issuingKeyOwnerId);
        ArgumentNullException.ThrowIfNull(root);
        if (request.ValidityDays is < MinValidityDays or > MaxValidityDays)
        {
            throw new ArgumentOutOfRangeException(
                nameof(request), request.ValidityDays, $"ValidityDays must be between {MinValidityDays} and {MaxValidityDays}.");
        }

        DecodedCsr csr = CsrDecoder.Decode(request.CsrDer);
        ParsedIssuingAuthority issuer = _authorities.Get(issuing, root);
        var context = new IssuanceContext(request, csr.Request, csr.SignatureVerified, issuer.Certificate, issuer.Validity, _timeProvider.GetUtcNow(), _options);

        foreach (ICsrValidator validator in _csrValidators)
        {
            validator.Validate(context);
        }

        var template = new LeafTemplate();
        foreach (ICertificateModifier modifier in _modifiers)
        {
            modifier.Modify(context, template);
        }

        foreach (ICertificateValidator validator in _validators)
        {
            validator.Validate(context, template);
        }

        byte[] leafDer = Sign(context, template, issuing.ProtectedPrivateKey, issuingKeyOwnerId);
        // Read back from the DER that was signed (without another X.509 parse), so the record says what the device got.
        (string serialNumber, CertificateValidity validity) = CertificateValidity.ReadWithSerialNumber(leafDer);
        return new IssuedCertificate(
            leafDer,
            [leafDer, issuing.CertificateDer.ToArray(), root.CertificateDer.ToArray()],
            serialNumber,
            template.Subject!.Name,
            validity.NotBefore,
            validity.NotAfter,
            Convert.ToHexString(SHA256.HashData(leafDer)));
    }

    private byte[] Sign(IssuanceContext context, LeafTemplate template, byte[] protectedKey, string keyOwnerId)
    {
        X500DistinguishedName subject = template.Subject ?? throw new InvalidOperationException("No modifier set the leaf subject.");
        byte[] serialNumber = template.SerialNumber ?? throw new InvalidOperationException("No modifier set the leaf serial number.");
        var leafRequest = new CertificateRequest(subject, context.Csr.PublicKey, HashAlgorithmName.SHA384);
        foreach (X509Extension extension in template.Extensions)
        {
            leafRequest.CertificateExtensions.Add(extension);
        }

        return _openKeys.Sign(protectedKey, keyOwnerId, context.Issuer, issuerKey =>
        {
            using X509Certificate2 leaf = leafRequest.Create(
                context.Issuer.SubjectName,
                X509SignatureGenerator.CreateForECDsa(issuerKey),
                template.NotBefore,
                template.NotAfter,
                serialNumber);
            return leaf.RawData;
        });
    }
}
