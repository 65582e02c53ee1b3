using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

using Outpost.Benchmarks.Common;

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
        var (http, anchor) = await ServerApi.SignInAsync(server);
        using var _ = http;
        var admin = server.Admin;
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

        using var service = ServerApi.Client(anchor, $"https://{serviceHost}:{server.HttpsPort}");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/enrollmentGroups/load-fleet?api-version=2025-07-01-preview")
        {
            Content = JsonContent.Create(new { enrollmentGroupId = "load-fleet", attestation = new { type = "symmetricKey" }, credentialPolicyName = "default" }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", Sas(serviceHost, serviceKey, "provisioningserviceowner"));
        var enrollment = await ServerApi.Json(await service.SendAsync(request));
        return new LoadSetup
        {
            IdScope = dps["properties"]!["idScope"]!.GetValue<string>(),
            GroupKey = enrollment["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>(),
            TrustAnchor = anchor,
        };
    }

    public static string Sas(string resource, string key, string? keyName) => ServerApi.Sas(resource, key, keyName);

    private static Task<JsonObject> PutAsync(HttpClient http, string path, object body) => ServerApi.PutAsync(http, path, body);

    private static Task<JsonObject> PostAsync(HttpClient http, string path) => ServerApi.PostAsync(http, path);
}
