using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>A throw-away CA and a P-256 <c>localhost</c> server certificate from it, for the comparison brokers' TLS listeners.</summary>
internal sealed class BenchmarkTls : IDisposable
{
    private BenchmarkTls(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
    }

    /// <summary>The CA certificate (no private key): the load generator's trust anchor.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    public static BenchmarkTls Create()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=benchmark CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        using var serverCertificate = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        return new BenchmarkTls(X509CertificateLoader.LoadCertificate(ca.RawData), serverCertificate.CopyWithPrivateKey(serverKey));
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
