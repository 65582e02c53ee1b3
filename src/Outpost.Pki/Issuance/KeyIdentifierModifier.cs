using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>SubjectKeyIdentifier from the device key and AuthorityKeyIdentifier from the issuing CA, for path building.</summary>
internal sealed class KeyIdentifierModifier : ICertificateModifier
{
    public void Modify(IssuanceContext context, LeafTemplate template)
    {
        template.Extensions.Add(new X509SubjectKeyIdentifierExtension(context.Csr.PublicKey, critical: false));
        template.Extensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            context.Issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
    }
}
