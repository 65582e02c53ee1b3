using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Outpost.IntegrationTests.Support;

/// <summary>An ARM client over real HTTPS that trusts only the server's <c>tls/ca.pem</c>, as a user's client would.</summary>
internal sealed class ManagementClient : IDisposable
{
    public const string DeviceRegistryApiVersion = "2025-11-01-preview";
    public const string ResourcesApiVersion = "2021-04-01";

    private readonly HttpClient http;
    private readonly OutpostServer server;

    public ManagementClient(OutpostServer server)
    {
        this.server = server;
        var trustAnchor = X509CertificateLoader.LoadCertificateFromFile(server.CaPemPath);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            CustomTrustStore = { trustAnchor },
            RevocationMode = X509RevocationMode.NoCheck,
        };
        http = new HttpClient(handler) { BaseAddress = new Uri(server.BaseAddress) };
    }

    public string SubscriptionId => server.Admin.SubscriptionId;

    public string ResourceGroupPath(string name) => $"/subscriptions/{SubscriptionId}/resourceGroups/{name}";

    public string NamespacePath(string group, string name) => $"{ResourceGroupPath(group)}/providers/Microsoft.DeviceRegistry/namespaces/{name}";

    public string PolicyPath(string group, string ns, string policy) => $"{NamespacePath(group, ns)}/credentials/default/policies/{policy}";

    public string IssuePath(string group, string ns, string device, string policy) =>
        $"/deviceCertificates/subscriptions/{SubscriptionId}/resourceGroups/{group}/providers/Microsoft.DeviceRegistry/namespaces/{ns}/devices/{device}:issueCert?policy-name={policy}";

    /// <summary>Gets a token with the admin's client credentials and uses it for every later call.</summary>
    public async Task SignInAsync(string scope = "https://management.azure.com/.default")
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(scope));
    }

    public void UseToken(string? token) =>
        http.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    public async Task<string> GetTokenAsync(string scope)
    {
        var admin = server.Admin;
        using var response = await http.PostAsync($"/{admin.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = admin.ClientId, ["client_secret"] = admin.ClientSecret, ["scope"] = scope,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, $"Token request failed: {(int)response.StatusCode} {body}");
        return body!["access_token"]!.GetValue<string>();
    }

    public async Task<ArmResponse> PostFormAsync(string path, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        return new ArmResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers, text);
    }

    /// <summary>GETs a URL the server handed out (Location, Operation-Location) exactly as given.</summary>
    public async Task<ArmResponse> FollowAsync(string url)
    {
        using var response = await http.GetAsync(new Uri(url).PathAndQuery);
        var text = await response.Content.ReadAsStringAsync();
        return new ArmResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers, text);
    }

    public Task<ArmResponse> PutAsync(string path, object body, string? apiVersion = null) => SendAsync(HttpMethod.Put, path, body, apiVersion);

    public Task<ArmResponse> PatchAsync(string path, object body, string? apiVersion = null) => SendAsync(HttpMethod.Patch, path, body, apiVersion);

    public Task<ArmResponse> PostAsync(string path, object body, string? apiVersion = null) => SendAsync(HttpMethod.Post, path, body, apiVersion);

    public Task<ArmResponse> GetAsync(string path, string? apiVersion = null) => SendAsync(HttpMethod.Get, path, null, apiVersion);

    public Task<ArmResponse> DeleteAsync(string path, string? apiVersion = null) => SendAsync(HttpMethod.Delete, path, null, apiVersion);

    public async Task<ArmResponse> SendAsync(HttpMethod method, string path, object? body, string? apiVersion)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var version = apiVersion ?? (path.Contains("Microsoft.DeviceRegistry", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/deviceCertificates", StringComparison.Ordinal)
            ? DeviceRegistryApiVersion : ResourcesApiVersion);
        using var request = new HttpRequestMessage(method, $"{path}{separator}api-version={version}");
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ArmResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers, text);
    }

    /// <summary>
    /// Follows an ARM long-running operation the way the Azure SDKs do: poll <c>Azure-AsyncOperation</c> (or
    /// <c>Location</c>) until it reports a terminal status, honouring <c>Retry-After</c>, bounded in attempts.
    /// </summary>
    public async Task<ArmResponse> PollAsync(ArmResponse started)
    {
        var statusUrl = started.Headers.TryGetValues("Azure-AsyncOperation", out var async) ? async.Single() : null;
        var locationUrl = started.Headers.Location?.ToString();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var url = new Uri(statusUrl ?? locationUrl ?? throw new InvalidOperationException("The response has neither Azure-AsyncOperation nor Location."));
            using var response = await http.GetAsync(url.PathAndQuery);
            var text = await response.Content.ReadAsStringAsync();
            var poll = new ArmResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers, text);
            var done = statusUrl is not null
                ? poll.Body?["status"]?.GetValue<string>() is "Succeeded" or "Failed" or "Canceled"
                : poll.Status != HttpStatusCode.Accepted;
            if (done)
            {
                return poll;
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"The operation at {statusUrl ?? locationUrl} did not finish after 30 polls.");
    }

    public void Dispose() => http.Dispose();
}

internal sealed record ArmResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string Text)
{
    public string? ErrorCode => Body?["error"]?["code"]?.GetValue<string>();

    public string? ErrorMessage => Body?["error"]?["message"]?.GetValue<string>();

    public override string ToString() => $"{(int)Status} {Text}";
}
