using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Outpost.Benchmarks.Common;

/// <summary>The server's public APIs as load set-ups call them: signed in as the bootstrap admin, every host name on loopback.</summary>
internal static class ServerApi
{
    /// <summary>A management client with the admin's bearer token, and the server's trust anchor.</summary>
    public static async Task<(HttpClient Http, X509Certificate2 Anchor)> SignInAsync(OutpostProcess server)
    {
        var anchor = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.DataDirectory, "tls", "ca.pem"));
        var http = Client(anchor, $"https://localhost:{server.HttpsPort}");
        var admin = server.Admin;
        var token = await http.PostAsync($"/{admin["tenantId"]}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = admin["clientId"]!.GetValue<string>(), ["client_secret"] = admin["clientSecret"]!.GetValue<string>(),
            ["scope"] = "https://management.azure.com/.default",
        }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>());
        return (http, anchor);
    }

    public static string Sas(string resource, string key, string? keyName)
    {
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var encoded = Uri.EscapeDataString(resource);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes($"{encoded}\n{expiry}")));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={expiry}" + (keyName is null ? string.Empty : $"&skn={keyName}");
    }

    /// <summary>HTTPS that trusts only the server's ca.pem and reaches every host name on the loopback address.</summary>
    public static HttpClient Client(X509Certificate2 anchor, string baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { anchor }, RevocationMode = X509RevocationMode.NoCheck };
        return new HttpClient(handler) { BaseAddress = new Uri(baseAddress) };
    }

    public static async Task<JsonObject> PutAsync(HttpClient http, string path, object body) => await Json(await http.PutAsJsonAsync(path, body));

    public static async Task<JsonObject> PostAsync(HttpClient http, string path) => await Json(await http.PostAsync(path, null));

    public static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"Setup call {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} failed: {(int)response.StatusCode} {text}");
    }
}
