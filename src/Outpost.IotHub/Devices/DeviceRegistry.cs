using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Devices;

/// <summary>
/// Reads and writes devices of a hub's identity registry. Changes read the device, change it and commit with the
/// version read; when another write got there first the change is made again on the fresh device, so concurrent
/// twin patches from a device and a service never lose one another.
/// </summary>
internal sealed class DeviceRegistry(IOutpostStore store)
{
    private const int Attempts = 8;

    public async Task<DeviceRecord?> FindAsync(HubInstance hub, string deviceId, CancellationToken cancellationToken) =>
        await store.GetResourceAsync(hub.DeviceId(deviceId), cancellationToken) is { } resource ? DeviceRecord.From(resource) : null;

    public async Task<DeviceRecord> RequireAsync(HubInstance hub, string deviceId, CancellationToken cancellationToken) =>
        await FindAsync(hub, deviceId, cancellationToken) ?? throw NotFound(hub, deviceId);

    public async Task<IReadOnlyList<DeviceRecord>> ListAsync(HubInstance hub, CancellationToken cancellationToken)
    {
        var resources = await store.GetResourcesAsync(new ResourceQuery(DeviceRecord.Type, hub.SubscriptionId, hub.ResourceGroup, hub.Id), cancellationToken);
        return [.. resources.Select(DeviceRecord.From).OrderBy(device => device.DeviceId, StringComparer.Ordinal)];
    }

    /// <summary>Commits a new device; a device with that id (in any casing) makes it a 409 DeviceAlreadyExists.</summary>
    public async Task CreateAsync(HubInstance hub, DeviceRecord device, CancellationToken cancellationToken)
    {
        try
        {
            await store.CommitAsync(new StoreChangeSet().PutResource(device.ToResource(hub.Id), 0), cancellationToken);
        }
        catch (OutpostException exception) when (exception.Code == ErrorCode.Conflict)
        {
            throw new HubException(HubError.DeviceAlreadyExists, $"A device with id '{device.DeviceId}' is already registered in hub '{hub.Name}'.");
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current device and commits it, again on the fresh device if another
    /// write came in between. The change may throw to refuse; what it returns is handed back.
    /// </summary>
    public async Task<(DeviceRecord Device, T Result)> UpdateAsync<T>(HubInstance hub, string deviceId, Func<DeviceRecord, T> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var device = await RequireAsync(hub, deviceId, cancellationToken);
            var result = change(device);
            try
            {
                await store.CommitAsync(new StoreChangeSet().PutResource(device.ToResource(hub.Id), device.Version), cancellationToken);
                return (device with { Version = device.Version + 1 }, result);
            }
            catch (OutpostException exception) when (exception.Code == ErrorCode.Conflict && attempt < Attempts)
            {
                // Another write won the race; make the change again on what it left.
            }
        }
    }

    public async Task DeleteAsync(HubInstance hub, DeviceRecord device, CancellationToken cancellationToken) =>
        await store.CommitAsync(new StoreChangeSet().DeleteResourceTree(device.ResourceId), cancellationToken);

    public static HubException NotFound(HubInstance hub, string deviceId) =>
        new(HubError.DeviceNotFound, $"Device '{deviceId}' is not registered in hub '{hub.Name}'.");
}
