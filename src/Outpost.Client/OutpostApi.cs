using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Outpost.Client;

/// <summary>
/// The server's public APIs, as any script reaches them: the management API with a bearer token (long-running
/// operations followed to their end, as az and the portal wait for them), and the hub and DPS data planes on their own
/// host names, with shared access signatures made from keys the caller read through the management API. Every refusal
/// becomes an <see cref="OutpostApiException"/> carrying the server's code and message.
/// </summary>
public class OutpostApi : IDisposable
{
    public const string ManagementScope = "https://management.azure.com/.default";

    private readonly HttpClient http;
    private readonly IAccessTokens tokens;

    public OutpostApi(OutpostEndpoint endpoint, IAccessTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        this.tokens = tokens;
        Server = new Uri(endpoint.Server.ToString().TrimEnd('/') + "/");
        http = new HttpClient(endpoint.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public OutpostEndpoint Endpoint { get; }

    public Uri Server { get; }

    /// <summary>The server's HTTPS port, where every host name of it (hubs, DPS) is served.</summary>
    public int Port => Server.Port;

    /// <summary>How long to wait between polls of a long-running operation.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A management call; a long-running one is followed to its end and a PUT or PATCH answers with the resource as it then is.</summary>
    public async Task<JsonNode?> ArmAsync(HttpMethod method, string path, string apiVersion, object? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var uri = new Uri(Server, $"{path.TrimStart('/')}{(path.Contains('?', StringComparison.Ordinal) ? "&" : "?")}api-version={apiVersion}");
        using var request = new HttpRequestMessage(method, uri) { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(this, ManagementScope, cancellationToken));
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

    /// <summary>A call to one of the server's host names with the given Authorization header (a device's SAS, say).</summary>
    public async Task<(JsonNode? Body, HttpResponseMessage Response)> HostAsync(HttpMethod method, string hostName, string pathAndQuery, string authorization,
        object? body, IDictionary<string, string>? headers, CancellationToken cancellationToken, bool stream = false)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(authorization);
        var uri = new Uri($"https://{hostName}:{Port}/{pathAndQuery.TrimStart('/')}");
        using var request = new HttpRequestMessage(method, uri) { Content = body is byte[] raw ? new ByteArrayContent(raw) : Json(body) };
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

    /// <summary>A shared access signature for <paramref name="resource"/>, valid for an hour, as the Azure SDKs make them.</summary>
    public static string Sas(string resource, string key, string? keyName)
    {
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var encoded = Uri.EscapeDataString(resource);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes($"{encoded}\n{expiry}")));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={expiry}" + (keyName is null ? string.Empty : $"&skn={Uri.EscapeDataString(keyName)}");
    }

    /// <summary>A client-credentials token from the server's token endpoint; a wrong secret is the server's refusal.</summary>
    public async Task<AccessToken> RequestTokenAsync(string tenantId, string clientId, string clientSecret, string scope, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server, $"{Uri.EscapeDataString(tenantId)}/oauth2/v2.0/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
                ["scope"] = scope,
            }),
        };
        using var response = await SendAsync(request, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        var token = body?["access_token"]?.GetValue<string>() ?? throw new OutpostApiException(401, "InvalidToken", "The token endpoint answered without an access token.");
        return new AccessToken(token, DateTimeOffset.UtcNow.AddSeconds(body?["expires_in"]?.GetValue<int>() ?? 300));
    }

    /// <summary>Where the server's MQTT listener is: the same host, the port <c>/healthz</c> reports.</summary>
    public async Task<(string Host, int Port)> MqttEndpointAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server, "healthz"));
        using var response = await SendAsync(request, cancellationToken);
        var health = await ReadAsync(response, cancellationToken);
        return (Server.Host, health?["mqttPort"]?.GetValue<int>() ?? 8883);
    }

    /// <summary>A call to one of the server's host names that authenticates with a TLS client certificate (a device's X.509 onboarding).</summary>
    public async Task<JsonNode?> WithCertificateAsync(X509Certificate2 certificate, HttpMethod method, string hostName, string pathAndQuery, object? body,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        using var client = new HttpClient(Endpoint.CreateHandler(certificate)) { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, new Uri($"https://{hostName}:{Port}/{pathAndQuery.TrimStart('/')}")) { Content = Json(body) };
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw Unreachable(request, exception);
        }

        using (response)
        {
            return await ReadAsync(response, cancellationToken);
        }
    }

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<JsonNode?> FollowAsync(string url, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(this, ManagementScope, cancellationToken));
            using var response = await SendAsync(request, cancellationToken);
            var status = await ReadAsync(response, cancellationToken);
            var state = status?["status"]?.GetValue<string>();
            if (state is null or "Succeeded")
            {
                return status;
            }

            if (state is "Failed" or "Canceled")
            {
                throw new OutpostApiException((int)response.StatusCode, status?["error"]?["code"]?.GetValue<string>() ?? state,
                    status?["error"]?["message"]?.GetValue<string>() ?? $"The operation ended {state}.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        throw new OutpostApiException(0, "OperationTimedOut", $"The operation at {url} did not finish within {600 * PollInterval.TotalSeconds} seconds.");
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
            throw Unreachable(request, exception);
        }
    }

    private static OutpostApiException Unreachable(HttpRequestMessage request, HttpRequestException exception) =>
        new(0, "ServerUnreachable", $"Could not reach {request.RequestUri?.Host}:{request.RequestUri?.Port}: {exception.Message}.");

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
            // IoT Hub's "ErrorCode:{name};{message}"; a message without the separator is all code.
            JsonObject { } error when error["Message"]?.GetValue<string>() is { } hub && hub.StartsWith("ErrorCode:", StringComparison.Ordinal) =>
                hub.IndexOf(';', StringComparison.Ordinal) is var split and > 0 ? (hub[10..split], hub[(split + 1)..]) : (hub[10..], hub),
            JsonObject { } error when error["errorCode"] is not null => (error["errorCode"]!.ToString(), error["message"]?.GetValue<string>()),
            _ => (null, null),
        };
        var status = (int)response.StatusCode;
        throw new OutpostApiException(status, code ?? $"Http{status}", message ?? (text.Length > 0 ? text : response.ReasonPhrase ?? "no message"));
    }

    private static StringContent? Json(object? body) =>
        body is null ? null : new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
