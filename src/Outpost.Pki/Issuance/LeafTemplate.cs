using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>The leaf certificate being assembled by the modifiers, checked by the validators, then signed.</summary>
internal sealed class LeafTemplate
{
    public X500DistinguishedName? Subject { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public byte[]? SerialNumber { get; set; }

    public List<X509Extension> Extensions { get; } = [];
}
