using MQTTnet.Protocol;
using MQTTnet.Server;
using Outpost.Core.Devices;

namespace Outpost.IotHub.Connections;

/// <summary>Drops live MQTT connections: of a disabled, re-keyed, deleted or revoked device, or of every device a revoked CA issued to.</summary>
internal sealed class LiveDeviceSessions(DeviceConnections connections) : ILiveDeviceSessions
{
    public async Task<bool> DisconnectAsync(string hubId, string deviceId, CancellationToken cancellationToken = default)
    {
        if (connections.Find(hubId, deviceId) is not { } connection)
        {
            return false;
        }

        return await DropAsync(connection);
    }

    public async Task<int> DisconnectIssuedByAsync(string hubId, string anchorThumbprint, CancellationToken cancellationToken = default)
    {
        var dropped = 0;
        foreach (var connection in connections.ForHub(hubId).Where(connection => string.Equals(connection.AnchorThumbprint, anchorThumbprint, StringComparison.OrdinalIgnoreCase)))
        {
            dropped += await DropAsync(connection) ? 1 : 0;
        }

        return dropped;
    }

    private async Task<bool> DropAsync(DeviceConnection connection)
    {
        if (connections.Server is not { } server)
        {
            return false;
        }

        await server.DisconnectClientAsync(connection.ClientId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.AdministrativeAction });
        return true;
    }
}
