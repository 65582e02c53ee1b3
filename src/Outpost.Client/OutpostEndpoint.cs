using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Client;

/// <summary>
/// Where the server is and how to reach it: its HTTPS address, the CA its certificates chain to (null: the system's
/// trust store), and whether every host name (hubs, DPS) is reached at the server's address, for machines where those
/// names do not resolve.
/// </summary>
public sealed record OutpostEndpoint(Uri Server, X509Certificate2? TrustAnchor, bool RouteHostsToServer)
{
    /// <summary>HTTPS that trusts <see cref="TrustAnchor"/>, routes host names when asked to, and presents <paramref name="clientCertificate"/> if given.</summary>
    public SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        if (TrustAnchor is not null)
        {
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { TrustAnchor },
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        if (RouteHostsToServer)
        {
            var target = Server;
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(target.Host, target.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }
}
