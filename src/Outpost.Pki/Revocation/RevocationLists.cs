using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.Pki.Authorities;
using Outpost.Pki.KeyProtection;

namespace Outpost.Pki.Revocation;

/// <summary>A certificate a CA revoked: its serial number (hex, as in the certificate) and when.</summary>
public sealed record RevokedCertificate(string SerialNumber, DateTimeOffset RevokedAt);

/// <summary>
/// Signs a CA's certificate revocation list (RFC 5280, DER) with the CA's own key, valid for a day. The CRL number is
/// the time of signing in seconds, so every newer list has a larger number.
/// </summary>
public sealed class RevocationLists(KeyProtector protector, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public byte[] Sign(CertificateAuthorityMaterial authority, string keyOwnerId, IEnumerable<RevokedCertificate> revoked)
    {
        var now = time.GetUtcNow();
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
        {
            builder.AddEntry(Convert.FromHexString(entry.SerialNumber.Length % 2 == 0 ? entry.SerialNumber : "0" + entry.SerialNumber), entry.RevokedAt,
                X509RevocationReason.KeyCompromise);
        }

        using var certificate = X509CertificateLoader.LoadCertificate(authority.CertificateDer);
        using var key = SigningKeys.Open(protector, authority.ProtectedPrivateKey, keyOwnerId, certificate);
        using var signer = certificate.CopyWithPrivateKey(key);
        var hash = key.KeySize > 256 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        return builder.Build(signer, new BigInteger(now.ToUnixTimeSeconds()), now + Lifetime, hash, thisUpdate: now);
    }
}
