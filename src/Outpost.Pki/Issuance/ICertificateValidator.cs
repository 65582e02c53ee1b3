namespace Outpost.Pki.Issuance;

/// <summary>
/// A last check on the assembled leaf before it is signed. A failure here is a server fault, not the device's, so it
/// throws <see cref="InvalidOperationException"/>.
/// </summary>
internal interface ICertificateValidator
{
    void Validate(IssuanceContext context, LeafTemplate template);
}
