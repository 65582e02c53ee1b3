using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>
/// Proof of possession: the CSR must be signed by the private key of the public key it carries, or anyone could get
/// a certificate for a key they do not hold.
/// </summary>
internal sealed class CsrSignatureValidator : ICsrValidator
{
    public void Validate(IssuanceContext context)
    {
        try
        {
            // Default load options verify the CSR's self-signature.
            _ = CertificateRequest.LoadSigningRequest(
                context.Request.CsrDer, HashAlgorithmName.SHA384, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException)
        {
            throw CsrRejection.Create(
                "The CSR signature does not verify with the public key in the CSR, so it gives no proof of possession " +
                "of the private key. Sign the CSR with the private key that belongs to its public key, and do not alter it afterwards.");
        }
    }
}
