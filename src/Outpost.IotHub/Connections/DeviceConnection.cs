using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Outpost.IotHub.Connections;

/// <summary>
/// A device's live MQTT connection: who it is, how it authenticated, and the session it belongs to. Method calls
/// waiting for the device's answer are kept here, so they end with the connection.
/// </summary>
internal sealed class DeviceConnection(string hubId, string hostName, string deviceId, string clientId, string authMethod, string generationId,
    DeviceSessionState session, DateTimeOffset connectedAt)
{
    public string HubId { get; } = hubId;

    public string HostName { get; } = hostName;

    public string DeviceId { get; } = deviceId;

    /// <summary>The MQTT client id the server knows the connection by (unique across hubs).</summary>
    public string ClientId { get; } = clientId;

    /// <summary>sas, selfSigned or certificateAuthority: IoT Hub's <c>iothub-connection-auth-method</c> type.</summary>
    public string AuthMethod { get; } = authMethod;

    public string GenerationId { get; } = generationId;

    public DeviceSessionState Session { get; } = session;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    public ConcurrentDictionary<string, TaskCompletionSource<(int Status, JsonNode? Payload)>> PendingMethods { get; } = new(StringComparer.Ordinal);

    /// <summary>The thumbprint of the hub CA certificate a CA-signed device's certificate chained to; null for other devices.</summary>
    public string? AnchorThumbprint { get; init; }

    /// <summary>The one certificate renewal a device may have in flight (its request id), or null.</summary>
    public string? RenewalInFlight { get; set; }
}

/// <summary>
/// What outlives a connection while the device keeps its MQTT session (CleanSession=0): which device topics it
/// subscribed to, and the cloud-to-device messages handed to MQTT but not yet acknowledged.
/// </summary>
internal sealed class DeviceSessionState
{
    public volatile bool Methods;
    public volatile bool DesiredProperties;
    public volatile bool CloudToDevice;
    public volatile bool Credentials;

    /// <summary>The topic filters of the session, as also kept on disk.</summary>
    public HashSet<string> Filters { get; } = new(StringComparer.Ordinal);

    /// <summary>Delivered cloud-to-device messages awaiting PUBACK: topic → queue sequence, oldest first.</summary>
    public List<(string Topic, long Sequence)> InFlight { get; } = [];
}
