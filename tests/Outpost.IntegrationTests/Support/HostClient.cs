using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// HTTPS to one of the server's own host names (a DPS instance, a hub) on the test server's port: names resolve to
/// the loopback address inside this client, as a hosts entry would make them for a user; TLS sees the real name (SNI,
/// certificate check against tls/ca.pem).
/// </summary>
internal sealed class HostClient : IDisposable
{
    private readonly HttpClient http;

    public HostClient(OutpostServer server, string hostName, X509Certificate2? clientCertificate = null)
    {
        var trustAnchor = X509CertificateLoader.LoadCertificateFromFile(server.CaPemPath);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { trustAnchor },
            RevocationMode = X509RevocationMode.NoCheck,
        };
        http = new HttpClient(handler) { BaseAddress = new Uri($"https://{hostName}:{server.HttpsPort}") };
    }

    public async Task<ArmResponse> SendAsync(HttpMethod method, string pathAndQuery, string? authorization, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ArmResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers, text);
    }

    /// <summary>An anonymous GET of a binary resource (a CRL, say); a failure status fails the test with the body.</summary>
    public async Task<byte[]> GetBytesAsync(string path)
    {
        using var response = await http.GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        return bytes;
    }

    public void Dispose() => http.Dispose();
}
