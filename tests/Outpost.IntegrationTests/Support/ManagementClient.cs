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

    public OutpostServer Server => server;

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

    public const string HubApiVersion = "2025-08-01-preview";
    public const string DpsApiVersion = "2025-02-01-preview";
    public const string AuthorizationApiVersion = "2022-04-01";

    public static class Roles
    {
        public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
        public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
        public const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
        public const string DeviceRegistryOnboarding = "547f7f0a-69c0-4807-bd9e-0321dfb66a84";
        public const string DeviceRegistryContributor = "a5c3590a-3a1a-4cd4-9648-ea0a32b15137";
        public const string IotHubRegistryContributor = "4ea46cd5-c1b2-4a8e-910b-273211f9ce47";
        public const string IotHubDataContributor = "4fc6c259-987e-4a07-842e-c321cc9d413f";
        public const string AzureIotHubPrincipal = "89d10474-74af-4874-99a7-c23c2f643083";
    }

    public string HubPath(string group, string hub) => $"{ResourceGroupPath(group)}/providers/Microsoft.Devices/IotHubs/{hub}";

    public string DpsPath(string group, string dps) => $"{ResourceGroupPath(group)}/providers/Microsoft.Devices/provisioningServices/{dps}";

    public string IdentityPath(string group, string name) => $"{ResourceGroupPath(group)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";

    /// <summary>Assigns a role at a scope and checks that the server took it.</summary>
    public async Task AssignRoleAsync(string scope, string roleId, string principalId)
    {
        var response = await PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}",
            new { properties = new { roleDefinitionId = $"/subscriptions/{SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleId}", principalId, principalType = "ServicePrincipal" } },
            AuthorizationApiVersion);
        Assert.True(response.Status == System.Net.HttpStatusCode.Created, $"Role assignment {roleId} for {principalId} at {scope}: {response}");
    }

    public string IssuePath(string group, string ns, string device, string policy) =>
        $"/deviceCertificates/subscriptions/{SubscriptionId}/resourceGroups/{group}/providers/Microsoft.DeviceRegistry/namespaces/{ns}/devices/{device}:issueCert?policy-name={policy}";

    /// <summary>Gets a token with the admin's client credentials and uses it for every later call.</summary>
    public async Task SignInAsync(string scope = "https://management.azure.com/.default")
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(scope));
    }

    public void UseToken(string? token) =>
        http.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    public Task<string> GetTokenAsync(string scope) => GetTokenAsync(scope, server.Admin.ClientId, server.Admin.ClientSecret);

    /// <summary>Signs in as another service principal, for tests of what a less privileged caller may do.</summary>
    public async Task SignInAsAsync(string clientId, string clientSecret, string scope = "https://management.azure.com/.default") =>
        UseToken(await GetTokenAsync(scope, clientId, clientSecret));

    public async Task<string> GetTokenAsync(string scope, string clientId, string clientSecret)
    {
        using var response = await http.PostAsync($"/{server.Admin.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret, ["scope"] = scope,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, $"Token request failed: {(int)response.StatusCode} {body}");
        return body!["access_token"]!.GetValue<string>();
    }

    /// <summary>
    /// A service principal made as <c>az ad sp create-for-rbac --skip-assignment</c> makes one, through the Graph slice
    /// with the bootstrap admin's Graph token: an application, a secret and the principal, with no role anywhere yet.
    /// </summary>
    public async Task<ServicePrincipal> CreateServicePrincipalAsync(string displayName)
    {
        using var graph = new ManagementClient(server);
        await graph.SignInAsync("https://graph.microsoft.com/.default");
        var application = await graph.PostAsync("/v1.0/applications", new { displayName }, "none");
        if (application.Status != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating application '{displayName}' failed: {application}");
        }

        var appId = application.Body!["appId"]!.GetValue<string>();
        var password = await graph.PostAsync($"/v1.0/applications/{application.Body!["id"]}/addPassword", new { passwordCredential = new { displayName = "test" } }, "none");
        var principal = await graph.PostAsync("/v1.0/servicePrincipals", new { appId }, "none");
        return new ServicePrincipal(appId, password.Body!["secretText"]!.GetValue<string>(), principal.Body!["id"]!.GetValue<string>());
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
            ? DeviceRegistryApiVersion
            : path.Contains("/IotHubs", StringComparison.OrdinalIgnoreCase) ? HubApiVersion
            : path.Contains("/provisioningServices", StringComparison.OrdinalIgnoreCase) ? DpsApiVersion
            : path.Contains("Microsoft.ManagedIdentity", StringComparison.OrdinalIgnoreCase) ? "2023-01-31"
            : path.Contains("Microsoft.Authorization", StringComparison.OrdinalIgnoreCase) ? AuthorizationApiVersion
            : ResourcesApiVersion);
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

internal sealed record ServicePrincipal(string AppId, string Secret, string ObjectId);

internal sealed record ArmResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string Text)
{
    public string? ErrorCode => Body?["error"]?["code"]?.GetValue<string>();

    public string? ErrorMessage => Body?["error"]?["message"]?.GetValue<string>();

    public override string ToString() => $"{(int)Status} {Text}";
}
