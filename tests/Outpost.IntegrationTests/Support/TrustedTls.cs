using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.IntegrationTests.Support;

/// <summary>A raw TLS connection to one of the server's listeners, trusting only its tls/ca.pem: for tests that speak bytes, not a protocol client.</summary>
internal static class TrustedTls
{
    public static async Task<SslStream> OpenAsync(OutpostServer server, TcpClient tcp, string hostName, CancellationToken cancellationToken = default)
    {
        var anchorRaw = X509CertificateLoader.LoadCertificateFromFile(server.CaPemPath).RawData;
        var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            using var anchor = X509CertificateLoader.LoadCertificate(anchorRaw);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(anchor);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(new X509Certificate2(certificate));
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = hostName }, cancellationToken);
        return tls;
    }
}
