using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Outpost.Core.Storage;

namespace Outpost.IotHub.Hubs;

/// <summary>
/// Finds the hub a device or service call is for by the host name it used (the first segment of an MQTT user name,
/// the Host header of a REST call). Found hubs are cached for five seconds: every connect and service call needs its
/// hub, and hub settings change rarely, so a changed setting (disableLocalAuth, say) applies within five seconds.
/// </summary>
internal sealed class HubInstances(IOutpostStore store, TimeProvider time)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (HubInstance Hub, DateTimeOffset Loaded)> cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<HubInstance?> ByHostNameAsync(string hostName, CancellationToken cancellationToken)
    {
        // A device may put host:port in its connection string, and the port then travels in its user name.
        var name = hostName.Split(':')[0];
        var now = time.GetUtcNow();
        if (cache.TryGetValue(name, out var cached) && now - cached.Loaded < CacheLifetime)
        {
            return cached.Hub;
        }

        var hub = await LoadAsync(await GlobalNameIds.OwnerAsync(store, GlobalNameIds.HostNames, name, cancellationToken), cancellationToken);
        // An unknown name is not remembered, so a hub created a moment ago is found at once.
        if (hub is not null)
        {
            cache[name] = (hub, now);
        }

        return hub;
    }

    public async Task<HubInstance?> ByIdAsync(string id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken);

    private async Task<HubInstance?> LoadAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null || await store.GetResourceAsync(id, cancellationToken) is not { } resource
            || !resource.Type.Equals("Microsoft.Devices/IotHubs", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var body = JsonNode.Parse(resource.Body)!.AsObject();
        return new HubInstance(resource.Id, body["name"]!.GetValue<string>(), body["properties"]!["hostName"]!.GetValue<string>(), body);
    }
}
