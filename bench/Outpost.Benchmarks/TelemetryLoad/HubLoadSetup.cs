using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.Benchmarks.Common;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>
/// An S1 hub with <c>count</c> SAS devices, made through the public APIs before the clock starts (devices in bulk,
/// 100 per call). Every device gets the same key, so the load generator signs one token per device cheaply.
/// </summary>
internal sealed class HubLoadSetup
{
    public required string HostName { get; init; }

    public required string DeviceKey { get; init; }

    public required X509Certificate2 TrustAnchor { get; init; }

    public static async Task<HubLoadSetup> CreateAsync(OutpostProcess server, int count, string prefix)
    {
        var (http, anchor) = await ServerApi.SignInAsync(server);
        using var _ = http;
        var group = $"/subscriptions/{server.Admin["subscriptionId"]}/resourceGroups/telemetry";
        await ServerApi.PutAsync(http, $"{group}?api-version=2021-04-01", new { location = "eastus" });
        var hub = $"{group}/providers/Microsoft.Devices/IotHubs/telemetry-hub";
        var hostName = (await ServerApi.PutAsync(http, $"{hub}?api-version=2025-08-01-preview", new { location = "eastus", sku = new { name = "S1", capacity = 1 } }))["properties"]!["hostName"]!.GetValue<string>();
        var ownerKey = (await ServerApi.PostAsync(http, $"{hub}/IotHubKeys/iothubowner/listkeys?api-version=2025-08-01-preview"))["primaryKey"]!.GetValue<string>();

        var deviceKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var service = ServerApi.Client(anchor, $"https://{hostName}:{server.HttpsPort}");
        foreach (var chunk in Enumerable.Range(0, count).Chunk(100))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/devices?api-version=2021-04-12")
            {
                Content = JsonContent.Create(chunk.Select(index => new
                {
                    id = DeviceId(prefix, index),
                    importMode = "create",
                    authentication = new { type = "sas", symmetricKey = new { primaryKey = deviceKey, secondaryKey = deviceKey } },
                })),
            };
            request.Headers.TryAddWithoutValidation("Authorization", ServerApi.Sas(hostName, ownerKey, "iothubowner"));
            await ServerApi.Json(await service.SendAsync(request));
        }

        return new HubLoadSetup { HostName = hostName, DeviceKey = deviceKey, TrustAnchor = anchor };
    }

    public static string DeviceId(string prefix, int index) => $"{prefix}-{index:D6}";
}
