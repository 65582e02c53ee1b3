using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet.Protocol;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Methods;

/// <summary>
/// Direct methods: a call is published to the device on <c>$iothub/methods/POST/{name}/?$rid={rid}</c> and answered
/// by the device on <c>$iothub/methods/res/{status}/?$rid={rid}</c>. A device that is not connected and subscribed
/// is 404103 DeviceNotOnline (after waiting up to the connect timeout); no answer within the response timeout is
/// 504101 GatewayTimeout, as IoT Hub answers.
/// </summary>
internal sealed class DirectMethods(DeviceConnections connections, TimeProvider time)
{
    private long nextRequestId;

    public async Task<(int Status, JsonNode? Payload)> InvokeAsync(HubInstance hub, string deviceId, string methodName, JsonNode? payload,
        TimeSpan responseTimeout, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var connection = await WaitForSubscriberAsync(hub, deviceId, connectTimeout, cancellationToken)
            ?? throw new HubException(HubError.DeviceNotOnline,
                $"Device '{deviceId}' is not online: it is not connected, or has not subscribed to $iothub/methods/POST/#, so it cannot receive method '{methodName}'.");
        var requestId = Interlocked.Increment(ref nextRequestId).ToString("x", CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<(int Status, JsonNode? Payload)>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.PendingMethods[requestId] = answer;
        try
        {
            // azure-iot-device JSON-parses every method body, so even an absent payload travels as JSON: null.
            var body = Encoding.UTF8.GetBytes(payload?.ToJsonString() ?? "null");
            await connections.PublishAsync(connection, $"$iothub/methods/POST/{methodName}/?$rid={requestId}", body, MqttQualityOfServiceLevel.AtMostOnce, cancellationToken);
            var (status, result) = await answer.Task.WaitAsync(responseTimeout, time, cancellationToken);
            return status >= 0
                ? (status, result)
                : throw new HubException(HubError.DeviceNotOnline, $"Device '{deviceId}' disconnected before answering method '{methodName}'.");
        }
        catch (TimeoutException)
        {
            throw new HubException(HubError.GatewayTimeout,
                $"Timed out waiting for device '{deviceId}' to answer method '{methodName}' ({responseTimeout.TotalSeconds:0} s).");
        }
        finally
        {
            connection.PendingMethods.TryRemove(requestId, out _);
        }
    }

    /// <summary>Records a device's answer; an answer nobody waits for any more (timed out, unknown id) is dropped.</summary>
    public static void Answer(DeviceConnection connection, int status, string requestId, ReadOnlySpan<byte> payload)
    {
        if (!connection.PendingMethods.TryRemove(requestId, out var pending))
        {
            return;
        }

        JsonNode? result;
        try
        {
            result = payload.IsEmpty ? null : JsonNode.Parse(payload);
        }
        catch (JsonException)
        {
            // IoT Hub passes the device's answer on; one that is not JSON reaches the caller as a string.
            result = JsonValue.Create(Encoding.UTF8.GetString(payload));
        }

        pending.TrySetResult((status, result));
    }

    private async Task<DeviceConnection?> WaitForSubscriberAsync(HubInstance hub, string deviceId, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + connectTimeout;
        while (true)
        {
            var change = connections.NextChangeAsync();
            if (connections.Find(hub.Id, deviceId) is { Session.Methods: true } connection)
            {
                return connection;
            }

            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await change.WaitAsync(remaining, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }
}
