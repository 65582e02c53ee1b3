using Microsoft.Extensions.DependencyInjection;
using Outpost.Core.Devices;
using Outpost.Core.Storage;

namespace Outpost.Management.IotHubs;

/// <summary>
/// After a revocation has committed, the devices it concerns lose their live connections on every hub linked to the
/// namespace, so the change holds for sessions already open. The hub feature provides the sessions; a server composed
/// without it has none to drop.
/// </summary>
internal static class LinkedHubSessions
{
    public static Task DisconnectDeviceAsync(HttpContext context, IEnumerable<StoredResource> hubs, string deviceId, CancellationToken cancellationToken) =>
        ForEachAsync(context, hubs, (sessions, hubId) => sessions.DisconnectAsync(hubId, deviceId, cancellationToken));

    /// <summary>Drops every connection whose certificate chained to the CA with <paramref name="caThumbprint"/>.</summary>
    public static Task DisconnectIssuedByAsync(HttpContext context, IEnumerable<StoredResource> hubs, string caThumbprint, CancellationToken cancellationToken) =>
        ForEachAsync(context, hubs, (sessions, hubId) => sessions.DisconnectIssuedByAsync(hubId, caThumbprint, cancellationToken));

    private static async Task ForEachAsync(HttpContext context, IEnumerable<StoredResource> hubs, Func<ILiveDeviceSessions, string, Task> disconnect)
    {
        if (context.RequestServices.GetService<ILiveDeviceSessions>() is not { } sessions)
        {
            return;
        }

        foreach (var hub in hubs)
        {
            await disconnect(sessions, hub.Id);
        }
    }
}
