using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Outpost.Pki.Authorities;
using Outpost.Pki.Issuance;
using Outpost.Pki.KeyProtection;

namespace Outpost.Benchmarks;

/// <summary>
/// Certificate issuance from a policy's issuing CA (ECDSA P-384, SHA-384). The baseline is the floor any issuer pays:
/// signing the same leaf with an already-open CA key and no checks. The pipeline adds CSR decoding, proof of
/// possession, key and subject checks, and opening the encrypted CA key for each issuance.
/// </summary>
[MemoryDiagnoser]
public class IssuanceBenchmarks
{
    private const string PolicyId = "/subscriptions/s/resourcegroups/rg/providers/microsoft.deviceregistry/namespaces/ns/credentials/default/policies/p";
    private const string CredentialId = "/subscriptions/s/resourcegroups/rg/providers/microsoft.deviceregistry/namespaces/ns/credentials/default";

    private CertificateIssuer issuer = null!;
    private CertificateAuthorityMaterial root = null!;
    private CertificateAuthorityMaterial issuing = null!;
    private byte[] csrP256 = null!;
    private byte[] csrP384 = null!;
    private X509Certificate2 openIssuing = null!;
    private ECDsa openIssuingKey = null!;
    private ECDsa deviceKey = null!;
    private string kekPath = null!;
    private KeyProtector protector = null!;

    [GlobalSetup]
    public void Setup()
    {
        kekPath = Path.Combine(Directory.CreateTempSubdirectory("outpost-bench-").FullName, "kek.bin");
        protector = KeyProtector.LoadOrCreate(kekPath);
        var factory = new CertificateAuthorityFactory(protector, TimeProvider.System);
        root = factory.CreateRoot("bench root", CredentialId, CertificateAuthorityFactory.DefaultRootLifetime);
        issuing = factory.CreateIssuing(root, CredentialId, "bench issuing", PolicyId, CertificateAuthorityFactory.DefaultIssuingLifetime);
        issuer = new CertificateIssuer(protector, TimeProvider.System, new PkiOptions());

        deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        csrP256 = new CertificateRequest("CN=device-01", deviceKey, HashAlgorithmName.SHA256).CreateSigningRequest();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        csrP384 = new CertificateRequest("CN=device-01", p384, HashAlgorithmName.SHA384).CreateSigningRequest();

        openIssuing = X509CertificateLoader.LoadCertificate(issuing.CertificateDer);
        openIssuingKey = SigningKeys.Open(protector, issuing.ProtectedPrivateKey, PolicyId, openIssuing);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        openIssuingKey.Dispose();
        openIssuing.Dispose();
        deviceKey.Dispose();
        Directory.Delete(Path.GetDirectoryName(kekPath)!, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "sign only (open key, no checks)")]
    public byte[] SignOnly()
    {
        var request = new CertificateRequest("CN=device-01", deviceKey, HashAlgorithmName.SHA384);
        var generator = X509SignatureGenerator.CreateForECDsa(openIssuingKey);
        using var certificate = request.Create(openIssuing.SubjectName, generator, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(16));
        return certificate.RawData;
    }

    [Benchmark(Description = "open the encrypted CA key")]
    public int OpenKey()
    {
        using var key = SigningKeys.Open(protector, issuing.ProtectedPrivateKey, PolicyId, openIssuing);
        return key.KeySize;
    }

    [Benchmark(Description = "issue from a P-256 CSR")]
    public IssuedCertificate IssueP256() => issuer.Issue(new IssuanceRequest(csrP256, "device-01", 30, PolicyId, "bench"), issuing, PolicyId, root);

    [Benchmark(Description = "issue from a P-384 CSR")]
    public IssuedCertificate IssueP384() => issuer.Issue(new IssuanceRequest(csrP384, "device-01", 30, PolicyId, "bench"), issuing, PolicyId, root);
}
