using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;
using Outpost.Core.Messaging;
using MQTTnet.Server;
using Outpost.IotHub.CloudToDevice;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Devices;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.Methods;
using Outpost.IotHub.Renewal;
using Outpost.IotHub.ServiceApi;
using Outpost.IotHub.Telemetry;
using Outpost.IotHub.Throttling;
using Outpost.IotHub.Twins;

namespace Outpost.IotHub.DeviceMqtt;

/// <summary>
/// IoT Hub's device endpoint on the server's MQTT listener. A device connects with its hub's host name and its id in
/// the user name and client id, authenticates (see <see cref="DeviceAuthenticator"/>), and may then subscribe to and
/// publish on its own topics only: telemetry, cloud-to-device messages, twin requests and desired-property updates,
/// direct methods and certificate renewal. A publish anywhere else ends the connection, as IoT Hub does; QoS 2 is
/// granted as 1 and nothing is retained.
/// </summary>
internal sealed partial class HubMqtt(HubInstances hubs, DeviceRegistry registry, DeviceAuthenticator authenticator, DeviceConnections connections,
    TelemetryIngest telemetry, CloudToDeviceDelivery cloudToDevice, CertificateRenewal renewal, HubThrottles throttles, IDeviceSubscriptions subscriptions,
    TimeProvider time, ILogger<HubMqtt> logger)
{
    private const string SessionKey = "outpost.hub";
    private static readonly System.Buffers.SearchValues<char> ForbiddenInTopics = System.Buffers.SearchValues.Create("+#\0\uFFFD");

    /// <summary>True when the user name is a hub device's, so the listener hands the connection here.</summary>
    public static bool Handles(string? userName) => HubMqttUser.Parse(userName) is not null;

    public async Task ValidateAsync(ValidatingConnectionEventArgs arguments)
    {
        var user = HubMqttUser.Parse(arguments.UserName)!;
        var hub = await hubs.ByHostNameAsync(user.HostName, arguments.CancellationToken);
        if (hub is null)
        {
            Refuse(arguments, MqttConnectReasonCode.BadUserNameOrPassword, $"no hub has the host name '{user.HostName}'");
            return;
        }

        if (user.ModuleId is not null || !string.Equals(arguments.ClientId, user.DeviceId, StringComparison.Ordinal))
        {
            Refuse(arguments, MqttConnectReasonCode.ClientIdentifierNotValid, user.ModuleId is not null
                ? "module identities are not served; connect as the device"
                : $"the client id '{arguments.ClientId}' differs from the device id '{user.DeviceId}' in the user name");
            return;
        }

        if (!throttles.TryTake(hub, ThrottledOperation.DeviceConnections))
        {
            Refuse(arguments, MqttConnectReasonCode.ServerBusy, $"hub '{hub.Name}' is over its rate of device connections; the device should retry with back-off");
            return;
        }

        try
        {
            var device = await registry.FindAsync(hub, user.DeviceId, arguments.CancellationToken);
            var (authenticated, method, anchor) = await authenticator.AuthenticateAsync(hub, device, user.DeviceId, arguments.Password, arguments.ClientCertificate,
                arguments.CancellationToken);
            arguments.SessionItems[SessionKey] = new HubSession(hub, authenticated.DeviceId, method, authenticated.Body["generationId"]?.GetValue<string>() ?? string.Empty,
                arguments.CleanSession ?? true) { Anchor = anchor };
            // Device ids are unique per hub, not per server: the MQTT session is keyed by host name and device id.
            arguments.AssignedClientIdentifier = $"{hub.HostName}/{authenticated.DeviceId}";
            arguments.ReasonCode = MqttConnectReasonCode.Success;
        }
        catch (HubException exception)
        {
            Refuse(arguments, MqttConnectReasonCode.NotAuthorized, exception.Message);
        }
    }

    public async Task ConnectedAsync(ClientConnectedEventArgs arguments)
    {
        if (arguments.SessionItems[SessionKey] is not HubSession session)
        {
            return;
        }

        var resumed = !session.CleanSession && !connections.HasSession(arguments.ClientId);
        var state = connections.SessionFor(arguments.ClientId, session.CleanSession);
        session.Connection = new DeviceConnection(session.Hub.Id, session.Hub.HostName, session.DeviceId, arguments.ClientId, session.AuthMethod, session.GenerationId,
            state, time.GetUtcNow()) { AnchorThumbprint = session.Anchor };
        connections.Add(session.Connection);
        LogConnected(logger, session.DeviceId, session.Hub.Name, session.AuthMethod);
        if (session.CleanSession)
        {
            await subscriptions.ClearAsync(session.Hub.Id, session.DeviceId);
        }
        else if (resumed && await subscriptions.GetAsync(session.Hub.Id, session.DeviceId) is { Count: > 0 } filters && connections.Server is { } server)
        {
            // The session outlived this process: its subscriptions come back, as IoT Hub keeps them, and the SDKs rely on it.
            await server.SubscribeAsync(arguments.ClientId,
                [.. filters.Select(filter => new MqttTopicFilterBuilder().WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())]);
        }

        if (state.CloudToDevice)
        {
            await cloudToDevice.DeliverPendingAsync(session.Connection, CancellationToken.None);
        }
    }

    public Task DisconnectedAsync(ClientDisconnectedEventArgs arguments)
    {
        if (arguments.SessionItems[SessionKey] is HubSession { Connection: { } connection })
        {
            connections.Remove(connection);
        }

        return Task.CompletedTask;
    }

    /// <summary>A device may subscribe to its own cloud-to-device topic and the <c>$iothub</c> response topics; QoS 2 is granted as 1.</summary>
    public static Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs arguments)
    {
        if (arguments.SessionItems[SessionKey] is not HubSession session)
        {
            return Task.CompletedTask;
        }

        var filter = arguments.TopicFilter.Topic;
        arguments.ProcessSubscription = filter == DeviceTopics.CloudToDeviceFilter(session.DeviceId) || filter is DeviceTopics.MethodsFilter
            or DeviceTopics.TwinResponsesFilter or DeviceTopics.DesiredFilter or DeviceTopics.CredentialsFilter;
        if (arguments.TopicFilter.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce)
        {
            arguments.TopicFilter.QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
        }

        return Task.CompletedTask;
    }

    public async Task SubscribedAsync(ClientSubscribedTopicEventArgs arguments)
    {
        if (arguments.SessionItems[SessionKey] is not HubSession { Connection: { } connection })
        {
            return;
        }

        var state = connection.Session;
        bool added;
        lock (state.Filters)
        {
            added = state.Filters.Add(arguments.TopicFilter.Topic);
        }

        if (added)
        {
            await subscriptions.AddAsync(connection.HubId, connection.DeviceId, arguments.TopicFilter.Topic);
        }

        switch (arguments.TopicFilter.Topic)
        {
            case DeviceTopics.MethodsFilter:
                state.Methods = true;
                break;
            case DeviceTopics.DesiredFilter:
                state.DesiredProperties = true;
                break;
            case DeviceTopics.CredentialsFilter:
                state.Credentials = true;
                break;
            case var filter when filter == DeviceTopics.CloudToDeviceFilter(connection.DeviceId):
                state.CloudToDevice = true;
                await cloudToDevice.DeliverPendingAsync(connection, CancellationToken.None);
                break;
        }

        connections.SignalChange();
    }

    public async Task InterceptPublishAsync(InterceptingPublishEventArgs arguments)
    {
        if (arguments.SessionItems[SessionKey] is not HubSession { Connection: { } connection } session)
        {
            return;
        }

        // Nothing a device publishes goes to other clients, and nothing is retained.
        arguments.ProcessPublish = false;
        var message = arguments.ApplicationMessage;
        var topic = message.Topic;
        try
        {
            if (topic.AsSpan().IndexOfAny(ForbiddenInTopics) >= 0)
            {
                // MQTT forbids wildcards and NUL in a PUBLISH topic; U+FFFD is what bytes that were not UTF-8 decode to.
                throw new HubException(HubError.ArgumentInvalid, $"device '{connection.DeviceId}' published on a topic with a wildcard, NUL or bytes that are not UTF-8");
            }

            if (topic.StartsWith(session.EventsTopic, StringComparison.Ordinal))
            {
                await telemetry.AcceptAsync(session.Hub, connection, topic[session.EventsTopic.Length..], message.Payload.ToArray(), arguments.CancellationToken);
            }
            else if (topic.StartsWith(DeviceTopics.TwinGet, StringComparison.Ordinal))
            {
                await TwinGetAsync(session.Hub, connection, DeviceTopics.Query(topic).GetValueOrDefault("$rid", string.Empty), arguments.CancellationToken);
            }
            else if (topic.StartsWith(DeviceTopics.ReportedPatch, StringComparison.Ordinal))
            {
                await ReportedPatchAsync(session.Hub, connection, DeviceTopics.Query(topic).GetValueOrDefault("$rid", string.Empty), message.Payload.ToArray(), arguments.CancellationToken);
            }
            else if (topic.StartsWith(DeviceTopics.MethodResponsePrefix, StringComparison.Ordinal) && MethodStatus(topic) is { } status)
            {
                DirectMethods.Answer(connection, status, DeviceTopics.Query(topic).GetValueOrDefault("$rid", string.Empty), message.Payload.ToArray());
            }
            else if (topic.StartsWith(DeviceTopics.IssueCertificate, StringComparison.Ordinal))
            {
                await renewal.RequestAsync(session.Hub, connection, DeviceTopics.Query(topic).GetValueOrDefault("$rid", string.Empty), message.Payload.ToArray(), arguments.CancellationToken);
            }
            else
            {
                throw new HubException(HubError.Unauthorized, $"device '{connection.DeviceId}' may not publish on '{topic}'");
            }
        }
        catch (HubException exception)
        {
            // MQTT 3.1.1 has no negative PUBACK: IoT Hub closes the connection of a device whose publish it refuses.
            LogPublishRefused(logger, connection.DeviceId, session.Hub.Name, exception.Error.Name, exception.Message);
            arguments.CloseConnection = true;
        }
    }

    /// <summary>A device's PUBACK of a cloud-to-device message completes it.</summary>
    public async Task AcknowledgedAsync(ClientAcknowledgedPublishPacketEventArgs arguments)
    {
        if (arguments.SessionItems[SessionKey] is HubSession { Connection: { } connection }
            && arguments.PublishPacket.Topic.StartsWith(DeviceTopics.CloudToDevicePrefix(connection.DeviceId), StringComparison.Ordinal))
        {
            await cloudToDevice.AcknowledgedAsync(connection, arguments.PublishPacket.Topic, CancellationToken.None);
        }
    }

    /// <summary>Server publishes to a device reach that device only: every device subscribes to the same <c>$iothub</c> filters.</summary>
    public static Task InterceptEnqueueAsync(InterceptingClientApplicationMessageEnqueueEventArgs arguments)
    {
        if (arguments.SenderClientId?.StartsWith(DeviceConnections.SenderPrefix, StringComparison.Ordinal) == true)
        {
            arguments.AcceptEnqueue = arguments.SenderClientId == DeviceConnections.SenderPrefix + arguments.ReceiverClientId;
        }

        return Task.CompletedTask;
    }

    private async Task TwinGetAsync(HubInstance hub, DeviceConnection connection, string requestId, CancellationToken cancellationToken)
    {
        var device = await registry.RequireAsync(hub, connection.DeviceId, cancellationToken);
        await TwinReplyAsync(connection, $"$iothub/twin/res/200/?$rid={requestId}", TwinDocument.ForDevice(device), cancellationToken);
    }

    private async Task ReportedPatchAsync(HubInstance hub, DeviceConnection connection, string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            var patch = JsonNode.Parse(payload);
            var (_, version) = await registry.UpdateAsync(hub, connection.DeviceId, device => TwinDocument.PatchReported(device, patch), cancellationToken);
            await connections.PublishAsync(connection, $"$iothub/twin/res/204/?$rid={requestId}&$version={version}", [], MqttQualityOfServiceLevel.AtMostOnce, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or HubException)
        {
            var error = exception is HubException hubException ? hubException.Error : HubError.ArgumentInvalid;
            var message = exception is JsonException ? $"The reported-properties patch is not valid JSON: {exception.Message}" : exception.Message;
            await TwinReplyAsync(connection, $"$iothub/twin/res/{error.Status}/?$rid={requestId}",
                HubErrorBody.Device(error, message, Guid.NewGuid().ToString(), time.GetUtcNow()), cancellationToken);
        }
    }

    private Task<bool> TwinReplyAsync(DeviceConnection connection, string topic, JsonObject body, CancellationToken cancellationToken) =>
        connections.PublishAsync(connection, topic, Encoding.UTF8.GetBytes(body.ToJsonString()), MqttQualityOfServiceLevel.AtMostOnce, cancellationToken);

    private static int? MethodStatus(string topic)
    {
        var rest = topic[DeviceTopics.MethodResponsePrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && int.TryParse(rest[..slash], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : null;
    }

    private void Refuse(ValidatingConnectionEventArgs arguments, MqttConnectReasonCode code, string reason)
    {
        arguments.ReasonCode = code;
        LogRefused(logger, arguments.ClientId, reason);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, EventName = "HubDeviceRefused", Message = "Hub device {ClientId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, EventName = "HubDeviceConnected", Message = "Device {DeviceId} connected to hub {Hub} ({AuthMethod})")]
    private static partial void LogConnected(ILogger logger, string deviceId, string hub, string authMethod);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, EventName = "HubDevicePublishRefused",
        Message = "Device {DeviceId} of hub {Hub}: publish refused ({ErrorName}: {Reason}); connection closed")]
    private static partial void LogPublishRefused(ILogger logger, string deviceId, string hub, string errorName, string reason);

    private sealed class HubSession(HubInstance hub, string deviceId, string authMethod, string generationId, bool cleanSession)
    {
        public HubInstance Hub { get; } = hub;

        public string DeviceId { get; } = deviceId;

        /// <summary>The device's telemetry topic prefix, built once per connection since every message is checked against it.</summary>
        public string EventsTopic { get; } = DeviceTopics.Events(deviceId);

        public string AuthMethod { get; } = authMethod;

        public string GenerationId { get; } = generationId;

        public bool CleanSession { get; } = cleanSession;

        public string? Anchor { get; init; }

        public DeviceConnection? Connection { get; set; }
    }
}
