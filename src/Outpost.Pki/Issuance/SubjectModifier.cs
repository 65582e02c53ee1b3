using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>
/// The leaf subject is <c>CN={identity}</c> and nothing else: other RDNs in the CSR are device-chosen and unchecked,
/// so copying them would let a device put claims in its certificate that no one verified.
/// </summary>
internal sealed class SubjectModifier : ICertificateModifier
{
    public void Modify(IssuanceContext context, LeafTemplate template)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(context.Request.Identity);
        template.Subject = subject.Build();
    }
}
