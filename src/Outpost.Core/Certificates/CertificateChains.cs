using System.Security.Cryptography.X509Certificates;

namespace Outpost.Core.Certificates;

/// <summary>
/// Whether a client's certificate chain leads to a certificate someone registered (a DPS group's signing
/// certificate, a hub's CA certificate). The registered certificate may be an intermediate rather than a root:
/// trust then stops there, as DPS and IoT Hub both do.
/// </summary>
public static class CertificateChains
{
    public static bool LeadsTo(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2 anchor, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        foreach (var intermediate in intermediates)
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        if (!anchor.SubjectName.RawData.AsSpan().SequenceEqual(anchor.IssuerName.RawData))
        {
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        }

        return chain.Build(leaf) && chain.ChainElements.Any(element => element.Certificate.Thumbprint == anchor.Thumbprint);
    }
}
