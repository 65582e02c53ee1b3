using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>
/// The device certificate profile: not a CA, signs TLS handshakes only, client authentication only. Azure does not
/// document the leaf's KU/EKU (ADR §1, UNCONFIRMED); this is the profile a device needs for mTLS to the hub.
/// Extensions requested in the CSR are never copied.
/// </summary>
internal sealed class ClientAuthProfileModifier : ICertificateModifier
{
    /// <summary>id-kp-clientAuth (RFC 5280 §4.2.1.12).</summary>
    internal const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public void Modify(IssuanceContext context, LeafTemplate template)
    {
        template.Extensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        template.Extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        template.Extensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid)], critical: false));
    }
}
