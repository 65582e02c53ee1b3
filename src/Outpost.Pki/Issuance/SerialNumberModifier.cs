using Outpost.Pki.Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>A fresh random serial number; see <see cref="SerialNumberGenerator.Next"/> for why it is random.</summary>
internal sealed class SerialNumberModifier : ICertificateModifier
{
    public void Modify(IssuanceContext context, LeafTemplate template) => template.SerialNumber = SerialNumberGenerator.Next();
}
