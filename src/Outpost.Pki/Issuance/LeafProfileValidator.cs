using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>
/// Guards the invariants that matter most against a future modifier getting them wrong: the leaf is CN=identity only,
/// is not a CA, and carries no subject alternative name.
/// </summary>
internal sealed class LeafProfileValidator : ICertificateValidator
{
    private const string SubjectAlternativeNameOid = "2.5.29.17";

    public void Validate(IssuanceContext context, LeafTemplate template)
    {
        var expected = new X500DistinguishedNameBuilder();
        expected.AddCommonName(context.Request.Identity);
        if (template.Subject is null || !template.Subject.RawData.AsSpan().SequenceEqual(expected.Build().RawData))
        {
            throw new InvalidOperationException("The leaf subject must be exactly CN=<identity>.");
        }

        bool isNotCa = template.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault() is { CertificateAuthority: false };
        if (!isNotCa)
        {
            throw new InvalidOperationException("The leaf must carry exactly one BasicConstraints extension with CA:false.");
        }

        if (template.Extensions.Any(e => e.Oid?.Value == SubjectAlternativeNameOid))
        {
            throw new InvalidOperationException("The leaf must not carry a subject alternative name.");
        }
    }
}
