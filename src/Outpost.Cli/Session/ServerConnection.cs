using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Outpost.Cli.Session;

/// <summary>
/// The command line's way to the server, through its public APIs only: the management API with the profile's service
/// principal (a client-credentials token), and the hub and DPS data planes on their own host names with keys read
/// through the management API, as <c>az</c> does. With <c>routeHostsToServer</c> every host name is reached at the
/// server's address, for machines where those names do not resolve.
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    private readonly HttpClient http;
    private readonly Uri server;
    private readonly CliProfile profile;
    private readonly Dictionary<string, (string Token, DateTimeOffset Expires)> tokens = [];

    public ServerConnection(CliProfile profile)
    {
        this.profile = profile;
        server = new Uri(profile.Server.TrimEnd('/') + "/");
        http = new HttpClient(CreateHandler(null)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>HTTPS that trusts the profile's CA, reaches host names at the server when asked to, and presents <paramref name="clientCertificate"/> if given.</summary>
    private SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        if (profile.CaFile is { } caFile)
        {
            var anchor = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { anchor },
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        if (profile.RouteHostsToServer)
        {
            var target = server;
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

    public CliProfile Profile => profile;

    public string SubscriptionPath => $"/subscriptions/{profile.SubscriptionId}";

    /// <summary>A management call; long-running ones are followed to their end, as az waits for them.</summary>
    public async Task<JsonNode?> ArmAsync(HttpMethod method, string path, string apiVersion, object? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(server, $"{path.TrimStart('/')}{(path.Contains('?', StringComparison.Ordinal) ? "&" : "?")}api-version={apiVersion}");
        using var request = new HttpRequestMessage(method, uri) { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("https://management.azure.com/.default", cancellationToken));
        using var response = await SendAsync(request, cancellationToken);
        var result = await ReadAsync(response, cancellationToken);
        var poll = response.Headers.TryGetValues("Azure-AsyncOperation", out var operation) ? operation.First() : response.Headers.Location?.ToString();
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted && poll is not null)
        {
            var status = await FollowAsync(poll, cancellationToken);
            if (method == HttpMethod.Put || method == HttpMethod.Patch)
            {
                return await ArmAsync(HttpMethod.Get, path, apiVersion, null, cancellationToken);
            }

            return method == HttpMethod.Delete ? null : result ?? status;
        }

        return result;
    }

    /// <summary>A call to a hub's or DPS instance's own host name with a SAS made from one of its keys.</summary>
    public Task<(JsonNode? Body, HttpResponseMessage Response)> DataPlaneAsync(HttpMethod method, string hostName, string pathAndQuery, string keyName, string key,
        object? body, IDictionary<string, string>? headers, CancellationToken cancellationToken, bool stream = false) =>
        HostAsync(method, hostName, pathAndQuery, Sas(hostName, key, keyName), body, headers, cancellationToken, stream);

    /// <summary>The server's HTTPS port, where every host name of it (hubs, DPS) is served.</summary>
    public int Port => server.Port;

    /// <summary>A call to one of the server's host names with the given Authorization header (a device's SAS, say).</summary>
    public async Task<(JsonNode? Body, HttpResponseMessage Response)> HostAsync(HttpMethod method, string hostName, string pathAndQuery, string authorization,
        object? body, IDictionary<string, string>? headers, CancellationToken cancellationToken, bool stream = false)
    {
        var uri = new Uri($"https://{hostName}:{server.Port}/{pathAndQuery.TrimStart('/')}");
        var request = new HttpRequestMessage(method, uri) { Content = body is byte[] raw ? new ByteArrayContent(raw) : Json(body) };
        if (authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await SendAsync(request, cancellationToken, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
        if (stream && response.IsSuccessStatusCode)
        {
            return (null, response);
        }

        using (response)
        {
            return (await ReadAsync(response, cancellationToken), response);
        }
    }

    public static string Sas(string resource, string key, string? keyName)
    {
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var encoded = Uri.EscapeDataString(resource);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes($"{encoded}\n{expiry}")));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={expiry}" + (keyName is null ? string.Empty : $"&skn={Uri.EscapeDataString(keyName)}");
    }

    /// <summary>Where the server's MQTT listener is: the same host, the port <c>/healthz</c> reports.</summary>
    public async Task<(string Host, int Port)> MqttEndpointAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server, "healthz")), cancellationToken);
        var health = await ReadAsync(response, cancellationToken);
        return (server.Host, health?["mqttPort"]?.GetValue<int>() ?? 8883);
    }

    /// <summary>The CA the profile trusts for the server's certificates, or null for the system's.</summary>
    public X509Certificate2? TrustAnchor => profile.CaFile is { } file ? X509CertificateLoader.LoadCertificateFromFile(file) : null;

    /// <summary>A call to one of the server's host names that authenticates with a TLS client certificate (a device's X.509 onboarding).</summary>
    public async Task<JsonNode?> WithCertificateAsync(X509Certificate2 certificate, HttpMethod method, string hostName, string pathAndQuery, object? body,
        CancellationToken cancellationToken)
    {
        using var client = new HttpClient(CreateHandler(certificate)) { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, new Uri($"https://{hostName}:{server.Port}/{pathAndQuery.TrimStart('/')}")) { Content = Json(body) };
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CliException(CliException.Failure, "ServerUnreachable", $"Could not reach {hostName}:{server.Port}: {exception.Message}.");
        }

        using (response)
        {
            return await ReadAsync(response, cancellationToken);
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonNode?> FollowAsync(string url, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("https://management.azure.com/.default", cancellationToken));
            using var response = await SendAsync(request, cancellationToken);
            var status = await ReadAsync(response, cancellationToken);
            var state = status?["status"]?.GetValue<string>();
            if (state is null or "Succeeded")
            {
                return status;
            }

            if (state is "Failed" or "Canceled")
            {
                throw new CliException(CliException.Failure, status?["error"]?["code"]?.GetValue<string>() ?? state,
                    status?["error"]?["message"]?.GetValue<string>() ?? $"The operation ended {state}.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        throw new CliException(CliException.Failure, "OperationTimedOut", $"The operation at {url} did not finish within 10 minutes.");
    }

    private async Task<string> TokenAsync(string scope, CancellationToken cancellationToken)
    {
        if (tokens.TryGetValue(scope, out var cached) && cached.Expires > DateTimeOffset.UtcNow.AddMinutes(1))
        {
            return cached.Token;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, $"{profile.TenantId}/oauth2/v2.0/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = profile.ClientId,
                ["client_secret"] = profile.ClientSecret,
                ["scope"] = scope,
            }),
        };
        using var response = await SendAsync(request, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        var token = body?["access_token"]?.GetValue<string>()
            ?? throw new CliException(CliException.Unauthorized, "InvalidToken", "The token endpoint answered without an access token.");
        tokens[scope] = (token, DateTimeOffset.UtcNow.AddSeconds(body?["expires_in"]?.GetValue<int>() ?? 300));
        return token;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CliException(CliException.Failure, "ServerUnreachable",
                $"Could not reach {request.RequestUri?.Host}:{request.RequestUri?.Port}: {exception.Message}. Check `outpost login --server` (and --route-hosts when host names do not resolve).");
        }
    }

    /// <summary>The body as JSON; a failure status becomes the server's error code and message, in ARM's, IoT Hub's or DPS's shape.</summary>
    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? body = null;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: kept as text for the error below.
        }

        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var (code, message) = body switch
        {
            JsonObject { } error when error["error"] is JsonObject arm => (arm["code"]?.GetValue<string>(), arm["message"]?.GetValue<string>()),
            JsonObject { } error when error["Message"]?.GetValue<string>() is { } hub && hub.StartsWith("ErrorCode:", StringComparison.Ordinal) =>
                (hub[10..hub.IndexOf(';', StringComparison.Ordinal)], hub[(hub.IndexOf(';', StringComparison.Ordinal) + 1)..]),
            JsonObject { } error when error["errorCode"] is not null => (error["errorCode"]!.ToString(), error["message"]?.GetValue<string>()),
            _ => (null, null),
        };
        var status = (int)response.StatusCode;
        throw new CliException(CliException.ForStatus(status), code ?? $"Http{status}", message ?? (text.Length > 0 ? text : response.ReasonPhrase ?? "no message"));
    }

    private static StringContent? Json(object? body) =>
        body is null ? null : new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
