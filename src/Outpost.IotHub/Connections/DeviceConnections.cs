using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Outpost.IotHub.Connections;

/// <summary>
/// Every device connected to any hub, by hub and device id, and the way to publish to one of them. A device has at
/// most one connection: a new one replaces the old, whose late disconnect event then removes nothing.
/// </summary>
internal sealed class DeviceConnections
{
    /// <summary>The sender id server publishes carry, so that only the addressed client receives them.</summary>
    public const string SenderPrefix = "$outpost/hub/";

    private readonly ConcurrentDictionary<string, DeviceConnection> live = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DeviceSessionState> sessions = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The MQTT server the device endpoint runs in; set when the listener starts.</summary>
    public MqttServer? Server { get; set; }

    public DeviceConnection? Find(string hubId, string deviceId) => live.GetValueOrDefault(Key(hubId, deviceId));

    public IReadOnlyList<DeviceConnection> ForHub(string hubId) =>
        [.. live.Values.Where(connection => string.Equals(connection.HubId, hubId, StringComparison.OrdinalIgnoreCase))];

    public int CountFor(string hubId) => live.Values.Count(connection => string.Equals(connection.HubId, hubId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether this process already holds the client's session (false after a restart, or the first time).</summary>
    public bool HasSession(string clientId) => sessions.ContainsKey(clientId);

    /// <summary>The session state of an MQTT client id, new when the client starts a clean session.</summary>
    public DeviceSessionState SessionFor(string clientId, bool cleanSession) =>
        cleanSession ? sessions[clientId] = new DeviceSessionState() : sessions.GetOrAdd(clientId, _ => new DeviceSessionState());

    public void Add(DeviceConnection connection)
    {
        live[Key(connection.HubId, connection.DeviceId)] = connection;
        SignalChange();
    }

    public void Remove(DeviceConnection connection)
    {
        live.TryRemove(new KeyValuePair<string, DeviceConnection>(Key(connection.HubId, connection.DeviceId), connection));
        foreach (var pending in connection.PendingMethods.Values)
        {
            pending.TrySetResult((-1, null));
        }

        SignalChange();
    }

    /// <summary>Completes when a device connects, disconnects or subscribes: what a method call with a connect timeout waits for.</summary>
    public Task NextChangeAsync() => Volatile.Read(ref changed).Task;

    public void SignalChange() => Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Publishes to one connected device; false when the server is not running.</summary>
    public async Task<bool> PublishAsync(DeviceConnection connection, string topic, byte[] payload, MqttQualityOfServiceLevel quality, CancellationToken cancellationToken)
    {
        if (Server is not { } server)
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(quality).Build();
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = SenderPrefix + connection.ClientId }, cancellationToken);
        return true;
    }

    private static string Key(string hubId, string deviceId) => hubId.ToLowerInvariant() + "|" + deviceId;
}
