using MQTTnet.Protocol;
using MQTTnet.Server;
using Outpost.Core.Devices;

namespace Outpost.IotHub.Connections;

/// <summary>Drops a device's live MQTT connection: for a disabled, re-keyed, deleted or revoked device.</summary>
internal sealed class LiveDeviceSessions(DeviceConnections connections) : ILiveDeviceSessions
{
    public async Task<bool> DisconnectAsync(string hubId, string deviceId, CancellationToken cancellationToken = default)
    {
        if (connections.Find(hubId, deviceId) is not { } connection || connections.Server is not { } server)
        {
            return false;
        }

        await server.DisconnectClientAsync(connection.ClientId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.AdministrativeAction });
        return true;
    }
}
