namespace Outpost.Pki.Issuance;

/// <summary>
/// Proof of possession: the CSR must be signed by the private key of the public key it carries, or anyone could get
/// a certificate for a key they do not hold.
/// </summary>
internal sealed class CsrSignatureValidator : ICsrValidator
{
    public void Validate(IssuanceContext context)
    {
        // CsrDecoder verified the self-signature while decoding; the key validator runs first, so a key we do not
        // accept has been reported by now and this is a genuinely bad signature.
        if (!context.CsrSignatureVerified)
        {
            throw CsrRejection.Create(
                "The CSR signature does not verify with the public key in the CSR, so it gives no proof of possession " +
                "of the private key. Sign the CSR with the private key that belongs to its public key, and do not alter it afterwards.");
        }
    }
}
