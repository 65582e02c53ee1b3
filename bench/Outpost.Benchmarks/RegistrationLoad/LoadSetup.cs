using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Outpost.Benchmarks.RegistrationLoad;

/// <summary>
/// The walkthrough's wiring through the public APIs, before the clock starts: a namespace with its default policy, a
/// hub, a DPS instance linked to both, and a symmetric-key enrollment group that issues certificates.
/// </summary>
internal sealed class LoadSetup
{
    public required string IdScope { get; init; }

    public required string GroupKey { get; init; }

    public required X509Certificate2 TrustAnchor { get; init; }

    public static async Task<LoadSetup> CreateAsync(OutpostProcess server)
    {
        var anchor = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.DataDirectory, "tls", "ca.pem"));
        using var http = Client(anchor, $"https://localhost:{server.HttpsPort}");
        var admin = server.Admin;
        var tenant = admin["tenantId"]!.GetValue<string>();
        var token = await http.PostAsync($"/{tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = admin["clientId"]!.GetValue<string>(), ["client_secret"] = admin["clientSecret"]!.GetValue<string>(),
            ["scope"] = "https://management.azure.com/.default",
        }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>());

        var group = $"/subscriptions/{admin["subscriptionId"]}/resourceGroups/load";
        await PutAsync(http, $"{group}?api-version=2021-04-01", new { location = "eastus" });
        var ns = $"{group}/providers/Microsoft.DeviceRegistry/namespaces/load-ns";
        await PutAsync(http, $"{ns}?api-version=2025-11-01-preview", new { location = "eastus", identity = new { type = "SystemAssigned" } });
        var identity = $"{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/load-identity";
        var principal = (await PutAsync(http, $"{identity}?api-version=2023-01-31", new { location = "eastus" }))["properties"]!["principalId"]!.GetValue<string>();
        await PutAsync(http, $"{ns}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01",
            new { properties = new { roleDefinitionId = "547f7f0a-69c0-4807-bd9e-0321dfb66a84", principalId = principal } });
        var hub = $"{group}/providers/Microsoft.Devices/IotHubs/load-hub";
        var hubHost = (await PutAsync(http, $"{hub}?api-version=2025-08-01-preview", new { location = "eastus", sku = new { name = "S1", capacity = 1 } }))["properties"]!["hostName"]!.GetValue<string>();
        var hubKey = await PostAsync(http, $"{hub}/IotHubKeys/iothubowner/listkeys?api-version=2025-08-01-preview");
        var dpsPath = $"{group}/providers/Microsoft.Devices/provisioningServices/load-dps";
        var dps = await PutAsync(http, $"{dpsPath}?api-version=2025-02-01-preview", new
        {
            location = "eastus",
            sku = new { name = "S1", capacity = 1 },
            identity = new { type = "UserAssigned", userAssignedIdentities = new Dictionary<string, object> { [identity] = new { } } },
            properties = new
            {
                iotHubs = new[] { new { connectionString = $"HostName={hubHost};SharedAccessKeyName=iothubowner;SharedAccessKey={hubKey["primaryKey"]}", location = "eastus" } },
                deviceRegistryNamespace = new { resourceId = ns, authenticationType = "UserAssigned", selectedUserAssignedIdentityResourceId = identity },
            },
        });
        var serviceHost = dps["properties"]!["serviceOperationsHostName"]!.GetValue<string>();
        var serviceKey = (await PostAsync(http, $"{dpsPath}/listkeys?api-version=2025-02-01-preview"))["value"]![0]!["primaryKey"]!.GetValue<string>();

        using var service = Client(anchor, $"https://{serviceHost}:{server.HttpsPort}");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/enrollmentGroups/load-fleet?api-version=2025-07-01-preview")
        {
            Content = JsonContent.Create(new { enrollmentGroupId = "load-fleet", attestation = new { type = "symmetricKey" }, credentialPolicyName = "default" }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", Sas(serviceHost, serviceKey, "provisioningserviceowner"));
        var enrollment = await Json(await service.SendAsync(request));
        return new LoadSetup
        {
            IdScope = dps["properties"]!["idScope"]!.GetValue<string>(),
            GroupKey = enrollment["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>(),
            TrustAnchor = anchor,
        };
    }

    public static string Sas(string resource, string key, string? keyName)
    {
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var encoded = Uri.EscapeDataString(resource);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes($"{encoded}\n{expiry}")));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={expiry}" + (keyName is null ? string.Empty : $"&skn={keyName}");
    }

    /// <summary>HTTPS that trusts only the server's ca.pem and reaches every host name on the loopback address.</summary>
    private static HttpClient Client(X509Certificate2 anchor, string baseAddress)
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

    private static async Task<JsonObject> PutAsync(HttpClient http, string path, object body) => await Json(await http.PutAsJsonAsync(path, body));

    private static async Task<JsonObject> PostAsync(HttpClient http, string path) => await Json(await http.PostAsync(path, null));

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"Setup call {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} failed: {(int)response.StatusCode} {text}");
    }
}
