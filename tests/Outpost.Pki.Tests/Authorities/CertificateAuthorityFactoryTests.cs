using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Outpost.Pki.Authorities;
using Outpost.Pki.Tests.TestSupport;

namespace Outpost.Pki.Tests.Authorities;

public sealed class CertificateAuthorityFactoryTests
{
    private const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    private const string EcPublicKey = "1.2.840.10045.2.1";

    [Theory]
    [InlineData("ok/root")]
    [InlineData("ok/issuing")]
    public void CaUsesEcdsaP384WithSha384(string label)
    {
        var pki = new TestPki();
        using X509Certificate2 ca = Load(label == "ok/root" ? pki.Root : pki.Issuing);

        Assert.Equal(EcdsaWithSha384, ca.SignatureAlgorithm.Value);
        Assert.Equal(EcPublicKey, ca.PublicKey.Oid.Value);
        using ECDsa? key = ca.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(384, key.KeySize);
        Assert.Equal(3, ca.Version);
    }

    [Fact]
    public void RootIsSelfSignedCaWithPathLengthOne()
    {
        var pki = new TestPki();
        using X509Certificate2 root = Load(pki.Root);

        Assert.Equal("CN=Outpost Test Root, O=Outpost", root.Subject);
        Assert.Equal(root.Subject, root.Issuer);
        AssertCaExtensions(root, pathLength: 1);
        Assert.Equal(TestPki.Start.AddMinutes(-5), (DateTimeOffset)root.NotBefore);
        Assert.Equal(TestPki.Start + CertificateAuthorityFactory.DefaultRootLifetime, (DateTimeOffset)root.NotAfter);
    }

    [Fact]
    public void IssuingCaIsSignedByRootWithPathLengthZero()
    {
        var pki = new TestPki();
        using X509Certificate2 root = Load(pki.Root);
        using X509Certificate2 issuing = Load(pki.Issuing);

        Assert.Equal("CN=Outpost Test Policy, O=Outpost", issuing.Subject);
        Assert.Equal(root.Subject, issuing.Issuer);
        AssertCaExtensions(issuing, pathLength: 0);

        var aki = Assert.Single(issuing.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        var rootSki = Assert.Single(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal(Convert.FromHexString(rootSki.SubjectKeyIdentifier!), aki.KeyIdentifier!.Value.ToArray());
    }

    [Fact]
    public void IssuingCaChainsToRootWithCustomRootTrust()
    {
        var pki = new TestPki();
        using X509Certificate2 root = Load(pki.Root);
        using X509Certificate2 issuing = Load(pki.Issuing);

        Assert.Equal(X509ChainStatusFlags.NoError, TestPki.BuildChain(issuing, [], root, TestPki.Start));
    }

    [Fact]
    public void IssuingCaLifetimeIsClampedToTheRoot()
    {
        var time = new FakeTimeProvider(TestPki.Start);
        var pki = new TestPki(timeProvider: time);
        time.Advance(TimeSpan.FromDays(7000));

        CertificateAuthorityMaterial issuing = pki.Factory.CreateIssuing(
            pki.Root, TestPki.RootOwnerId, "Late Policy", TestPki.IssuingOwnerId, CertificateAuthorityFactory.DefaultIssuingLifetime);

        using X509Certificate2 root = Load(pki.Root);
        using X509Certificate2 ca = Load(issuing);
        Assert.Equal(root.NotAfter, ca.NotAfter);
    }

    [Fact]
    public void PrivateKeysAreStoredEncryptedForTheirOwner()
    {
        var pki = new TestPki();
        using X509Certificate2 issuing = Load(pki.Issuing);

        byte[] pkcs8 = pki.Protector.Unprotect(pki.Issuing.ProtectedPrivateKey, TestPki.IssuingOwnerId);
        using ECDsa key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);

        Assert.Equal(issuing.PublicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        Assert.Equal(-1, pki.Issuing.ProtectedPrivateKey.AsSpan().IndexOf(pkcs8.AsSpan(^48..)));
        Assert.ThrowsAny<CryptographicException>(() => pki.Protector.Unprotect(pki.Issuing.ProtectedPrivateKey, TestPki.RootOwnerId));
    }

    [Fact]
    public void IssuingCaNeedsTheRootKeyOwnerId()
    {
        var pki = new TestPki();

        Assert.ThrowsAny<CryptographicException>(() => pki.Factory.CreateIssuing(
            pki.Root, TestPki.IssuingOwnerId, "Policy", TestPki.IssuingOwnerId, TimeSpan.FromDays(365)));
    }

    [Fact]
    public void CommonNameCannotAddRelativeDistinguishedNames()
    {
        var pki = new TestPki();

        CertificateAuthorityMaterial root = pki.Factory.CreateRoot("Evil, O=Microsoft", "owner", TimeSpan.FromDays(1));

        using X509Certificate2 certificate = Load(root);
        Assert.Equal(2, certificate.SubjectName.EnumerateRelativeDistinguishedNames().Count());
    }

    private static X509Certificate2 Load(CertificateAuthorityMaterial material) =>
        X509CertificateLoader.LoadCertificate(material.CertificateDer);

    private static void AssertCaExtensions(X509Certificate2 ca, int pathLength)
    {
        var basicConstraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(basicConstraints.Critical);
        Assert.True(basicConstraints.CertificateAuthority);
        Assert.True(basicConstraints.HasPathLengthConstraint);
        Assert.Equal(pathLength, basicConstraints.PathLengthConstraint);

        var keyUsage = Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(keyUsage.Critical);
        Assert.True(keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.True(keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign));

        Assert.Single(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
    }
}
