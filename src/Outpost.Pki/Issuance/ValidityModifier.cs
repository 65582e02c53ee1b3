using Outpost.Pki.Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>notBefore = now - 5 minutes (clock skew), notAfter = now + validity days, both clamped to the issuing CA.</summary>
internal sealed class ValidityModifier : ICertificateModifier
{
    public void Modify(IssuanceContext context, LeafTemplate template)
    {
        (template.NotBefore, template.NotAfter) = ValidityWindow.Compute(
            context.Now, TimeSpan.FromDays(context.Request.ValidityDays), context.IssuerValidity);
    }
}
