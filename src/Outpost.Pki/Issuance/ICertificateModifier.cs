namespace Outpost.Pki.Issuance;

/// <summary>Sets part of the leaf certificate. Each modifier owns its fields; none copies anything from the CSR but the public key.</summary>
internal interface ICertificateModifier
{
    void Modify(IssuanceContext context, LeafTemplate template);
}
