using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.Pki.Issuance;
using Outpost.Pki.Tests.TestSupport;

namespace Outpost.Pki.Tests.Issuance;

public sealed class CertificateIssuerTests
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";

    public static TheoryData<string, int> Curves => new()
    {
        { "ok/ecdsa-p256", 256 },
        { "ok/ecdsa-p384", 384 },
    };

    [Theory]
    [MemberData(nameof(Curves))]
    public void IssuesALeafThatChainsToTheRoot(string label, int keySize)
    {
        var pki = new TestPki();
        byte[] csr = DeviceCsr.Ec(label.EndsWith("p256", StringComparison.Ordinal) ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);

        IssuedCertificate issued = pki.Issue(csr);

        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        using ECDsa? key = leaf.GetECDsaPublicKey();
        Assert.Equal(keySize, key!.KeySize);
        Assert.Equal(EcdsaWithSha384, leaf.SignatureAlgorithm.Value);
        Assert.Equal(X509ChainStatusFlags.NoError, pki.VerifyChain(issued.LeafDer, ClientAuth));
    }

    [Fact]
    public void ReturnsLeafIssuingCaAndRootInOrder()
    {
        var pki = new TestPki();

        IssuedCertificate issued = pki.Issue(DeviceCsr.P256());

        Assert.Equal(3, issued.ChainDer.Count);
        Assert.Equal(issued.LeafDer, issued.ChainDer[0]);
        Assert.Equal(pki.Issuing.CertificateDer, issued.ChainDer[1]);
        Assert.Equal(pki.Root.CertificateDer, issued.ChainDer[2]);
    }

    [Fact]
    public void LeafIsAClientAuthCertificateForTheIdentityOnly()
    {
        var pki = new TestPki();

        IssuedCertificate issued = pki.Issue(DeviceCsr.P256("CN=device-001, O=Contoso, OU=Spoofed"));

        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        Assert.Equal("CN=device-001", leaf.Subject);
        Assert.Equal("CN=device-001", issued.Subject);

        var basicConstraints = Assert.Single(leaf.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(basicConstraints.Critical);
        Assert.False(basicConstraints.CertificateAuthority);

        var keyUsage = Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(keyUsage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, keyUsage.KeyUsages);

        var eku = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(ClientAuth, Assert.Single(eku.EnhancedKeyUsages.Cast<Oid>()).Value);

        Assert.Single(leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Single(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.Equal(5, leaf.Extensions.Count);
    }

    [Fact]
    public void SubjectAlternativeNameInTheCsrIsNotCopied()
    {
        var pki = new TestPki();

        IssuedCertificate issued = pki.Issue(DeviceCsr.WithSubjectAlternativeName("login.microsoftonline.com"));

        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        Assert.DoesNotContain(leaf.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == "2.5.29.17");
        Assert.Empty(leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
    }

    [Fact]
    public void SerialNumbersAreRandomPositiveAndAtLeastSixtyFourBits()
    {
        var pki = new TestPki();
        byte[] csr = DeviceCsr.P256();

        IssuedCertificate first = pki.Issue(csr);
        IssuedCertificate second = pki.Issue(csr);

        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        foreach (IssuedCertificate issued in new[] { first, second })
        {
            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
            Assert.Equal(leaf.SerialNumber, issued.SerialNumber);
            byte[] serial = Convert.FromHexString(issued.SerialNumber);
            Assert.InRange(serial.Length, 9, 16); // 16 random bytes, a leading zero byte or two dropped at most by chance
            Assert.True(serial[0] < 0x80, "the serial must be a positive INTEGER without a padding byte");
        }
    }

    [Fact]
    public void ValidityStartsFiveMinutesBackAndLastsTheRequestedDays()
    {
        var pki = new TestPki();

        IssuedCertificate issued = pki.Issue(DeviceCsr.P256(), validityDays: 30);

        Assert.Equal(TestPki.Start.AddMinutes(-5), issued.NotBefore);
        Assert.Equal(TestPki.Start.AddDays(30), issued.NotAfter);
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(issued.LeafDer);
        Assert.Equal(issued.NotAfter, (DateTimeOffset)leaf.NotAfter);
    }

    [Fact]
    public void ValidityIsClampedToTheIssuingCa()
    {
        var pki = new TestPki(issuingLifetime: TimeSpan.FromDays(10));

        IssuedCertificate issued = pki.Issue(DeviceCsr.P256(), validityDays: 90);

        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificate(pki.Issuing.CertificateDer);
        Assert.Equal((DateTimeOffset)issuing.NotAfter, issued.NotAfter);
        Assert.Equal(TestPki.Start.AddDays(10), issued.NotAfter);
        Assert.Equal(X509ChainStatusFlags.NoError, pki.VerifyChain(issued.LeafDer));
    }

    [Fact]
    public void ThumbprintIsTheUpperHexSha256OfTheLeaf()
    {
        var pki = new TestPki();

        IssuedCertificate issued = pki.Issue(DeviceCsr.P256());

        Assert.Equal(Convert.ToHexString(SHA256.HashData(issued.LeafDer)), issued.Thumbprint);
        Assert.Equal(64, issued.Thumbprint.Length);
        Assert.Equal(issued.Thumbprint.ToUpperInvariant(), issued.Thumbprint);
    }

    [Theory]
    [InlineData("fail/zero-days", 0)]
    [InlineData("fail/negative-days", -1)]
    [InlineData("fail/over-ten-years", 3651)]
    public void ValidityDaysOutsideOneToThreeThousandSixHundredFiftyIsRefused(string label, int days)
    {
        var pki = new TestPki();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pki.Issue(DeviceCsr.P256(), validityDays: days));

        Assert.Contains("between 1 and 3650", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("fail/", label, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpiredIssuingCaIsAServerFault()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestPki.Start);
        var pki = new TestPki(issuingLifetime: TimeSpan.FromDays(10), timeProvider: time);
        time.Advance(TimeSpan.FromDays(11));

        var error = Assert.Throws<InvalidOperationException>(() => pki.Issue(DeviceCsr.P256()));

        Assert.Contains("Rotate the issuing CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IssuingKeyOfAnotherOwnerDoesNotDecrypt()
    {
        var pki = new TestPki();
        var request = new IssuanceRequest(DeviceCsr.P256(), DeviceCsr.DefaultIdentity, 30, TestPki.IssuingOwnerId, "test");

        Assert.ThrowsAny<CryptographicException>(() => pki.Issuer.Issue(request, pki.Issuing, TestPki.RootOwnerId, pki.Root));
    }

    [Fact]
    public void IssuingCaFromAnotherRootIsRefused()
    {
        var pki = new TestPki();
        var other = new TestPki();
        var request = new IssuanceRequest(DeviceCsr.P256(), DeviceCsr.DefaultIdentity, 30, TestPki.IssuingOwnerId, "test");
        var otherRoot = other.Factory.CreateRoot("Another Root", TestPki.RootOwnerId, TimeSpan.FromDays(365));

        Assert.Throws<InvalidOperationException>(() => pki.Issuer.Issue(request, pki.Issuing, TestPki.IssuingOwnerId, otherRoot));
    }

    [Fact]
    public void IssuingCaAlreadyUsedWithItsRootIsStillRefusedWithAnotherRoot()
    {
        var pki = new TestPki();
        var request = new IssuanceRequest(DeviceCsr.P256(), DeviceCsr.DefaultIdentity, 30, TestPki.IssuingOwnerId, "test");
        var otherRoot = new TestPki().Factory.CreateRoot("Another Root", TestPki.RootOwnerId, TimeSpan.FromDays(365));
        _ = pki.Issuer.Issue(request, pki.Issuing, TestPki.IssuingOwnerId, pki.Root);

        Assert.Throws<InvalidOperationException>(() => pki.Issuer.Issue(request, pki.Issuing, TestPki.IssuingOwnerId, otherRoot));
        Assert.Equal("CN=device-001", pki.Issuer.Issue(request, pki.Issuing, TestPki.IssuingOwnerId, pki.Root).Subject);
    }

    [Fact]
    public void AllowedCurvesCanBeNarrowedToP384()
    {
        var pki = new TestPki();
        pki.Options.AllowedCurves.Clear();
        pki.Options.AllowedCurves.Add("nistP384");

        var error = Assert.Throws<Outpost.Core.Errors.OutpostException>(() => pki.Issue(DeviceCsr.P256()));
        Assert.Equal("The CSR has an EC key on curve P-256; only EC keys on curves P-384 are accepted.", error.Message);
        Assert.Equal("CN=device-001", pki.Issue(DeviceCsr.Ec(ECCurve.NamedCurves.nistP384)).Subject);
    }
}
