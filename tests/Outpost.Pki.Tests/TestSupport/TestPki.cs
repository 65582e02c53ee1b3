using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Outpost.Pki.Authorities;
using Outpost.Pki.Issuance;
using Outpost.Pki.KeyProtection;

namespace Outpost.Pki.Tests.TestSupport;

/// <summary>A fresh root and issuing CA per test, on a fake clock.</summary>
internal sealed class TestPki
{
    public const string RootOwnerId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DeviceRegistry/namespaces/ns/credentials/default";
    public const string IssuingOwnerId = RootOwnerId + "/policies/default";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TestPki(TimeSpan? issuingLifetime = null, TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? new FakeTimeProvider(Start);
        Protector = new KeyProtector(RandomNumberGenerator.GetBytes(KeyProtector.KeyLength));
        Factory = new CertificateAuthorityFactory(Protector, TimeProvider);
        Root = Factory.CreateRoot("Outpost Test Root", RootOwnerId, CertificateAuthorityFactory.DefaultRootLifetime);
        Issuing = Factory.CreateIssuing(
            Root, RootOwnerId, "Outpost Test Policy", IssuingOwnerId, issuingLifetime ?? CertificateAuthorityFactory.DefaultIssuingLifetime);
        Issuer = new CertificateIssuer(Protector, TimeProvider, Options);
    }

    public TimeProvider TimeProvider { get; }

    public KeyProtector Protector { get; }

    public CertificateAuthorityFactory Factory { get; }

    public CertificateAuthorityMaterial Root { get; }

    public CertificateAuthorityMaterial Issuing { get; }

    public PkiOptions Options { get; } = new();

    public CertificateIssuer Issuer { get; }

    public IssuedCertificate Issue(byte[] csrDer, string identity = DeviceCsr.DefaultIdentity, int validityDays = 30) =>
        Issuer.Issue(new IssuanceRequest(csrDer, identity, validityDays, IssuingOwnerId, "test"), Issuing, IssuingOwnerId, Root);

    /// <summary>Builds the chain the way a TLS server would: the root as the only trust anchor, the ICA as an untrusted extra.</summary>
    public X509ChainStatusFlags VerifyChain(byte[] leafDer, string? requiredEku = null)
    {
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(leafDer);
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificate(Issuing.CertificateDer);
        using X509Certificate2 root = X509CertificateLoader.LoadCertificate(Root.CertificateDer);
        return BuildChain(leaf, [issuing], root, TimeProvider.GetUtcNow(), requiredEku);
    }

    public static X509ChainStatusFlags BuildChain(
        X509Certificate2 certificate, X509Certificate2[] extra, X509Certificate2 root, DateTimeOffset at, string? requiredEku = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        if (requiredEku is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(requiredEku));
        }

        bool ok = chain.Build(certificate);
        X509ChainStatusFlags flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        Assert.True(ok || flags != X509ChainStatusFlags.NoError);
        if (ok)
        {
            Assert.Equal(extra.Length + 2, chain.ChainElements.Count);
        }

        return flags;
    }
}
