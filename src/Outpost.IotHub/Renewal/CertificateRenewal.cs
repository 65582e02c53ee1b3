using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet.Protocol;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.IotHub.Connections;
using Outpost.IotHub.Hubs;
using Outpost.IotHub.ServiceApi;
using Outpost.Pki.Policies;

namespace Outpost.IotHub.Renewal;

/// <summary>
/// Certificate renewal over MQTT (<c>$iothub/credentials/POST/issueCertificate/?$rid=</c>, body
/// <c>{"id","csr","replace"}</c>): answered 202 <c>{"correlationId","operationExpires"}</c> at once, then 200 with the
/// new chain (a JSON array of base64 DER, leaf first, as the C SDK parses it) issued by the device's credential policy
/// in the hub's Device Registry namespace. One request per device may be in flight; another is 409005 unless its
/// <c>replace</c> names the one in flight (or is <c>*</c>). The device keeps its session; it uses the new certificate
/// when it next connects.
/// </summary>
internal sealed partial class CertificateRenewal(IOutpostStore store, PolicyCertificateService certificates, DeviceConnections connections, TimeProvider time,
    ILogger<CertificateRenewal> logger)
{
    public const string ResponsePrefix = "$iothub/credentials/res/";

    public async Task RequestAsync(HubInstance hub, DeviceConnection connection, string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        JsonObject request;
        try
        {
            request = JsonNode.Parse(payload.Span) as JsonObject ?? throw new System.Text.Json.JsonException("not an object");
        }
        catch (System.Text.Json.JsonException)
        {
            await ReplyErrorAsync(connection, requestId, 400, 400040, "FailedToDecodeCsr", "The request must be JSON: {\"id\":\"<deviceId>\",\"csr\":\"<base64 DER>\",\"replace\":null}.", cancellationToken);
            return;
        }

        if (!string.Equals(request["id"]?.GetValue<string>(), connection.DeviceId, StringComparison.Ordinal))
        {
            await ReplyErrorAsync(connection, requestId, 400, 400004, "InvalidDeviceId", $"The request's id must be the connected device's id, '{connection.DeviceId}'.", cancellationToken);
            return;
        }

        var replace = request["replace"]?.GetValue<string>();
        string? busyWith = null;
        lock (connection)
        {
            if (connection.RenewalInFlight is { } active && replace != "*" && replace != active)
            {
                busyWith = active;
            }
            else
            {
                connection.RenewalInFlight = requestId;
            }
        }

        if (busyWith is not null)
        {
            await ReplyErrorAsync(connection, requestId, 409, 409005, "OperationInProgress",
                $"Certificate request '{busyWith}' is still in progress; wait for its answer, or send replace \"{busyWith}\" or \"*\" to supersede it.", cancellationToken);
            return;
        }

        var expires = now.AddMinutes(5);
        await ReplyAsync(connection, requestId, 202, new JsonObject
        {
            ["correlationId"] = requestId,
            ["operationExpires"] = expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        }, cancellationToken);
        _ = Task.Run(() => IssueAsync(hub, connection, requestId, request, CancellationToken.None), CancellationToken.None);
    }

    private async Task IssueAsync(HubInstance hub, DeviceConnection connection, string requestId, JsonObject request, CancellationToken cancellationToken)
    {
        try
        {
            var policyId = await PolicyOfAsync(hub, connection.DeviceId, cancellationToken);
            byte[] csr;
            try
            {
                csr = Convert.FromBase64String(request["csr"]?.GetValue<string>() ?? string.Empty);
            }
            catch (FormatException)
            {
                throw new OutpostException(ErrorCode.CsrRejected, "'csr' is not base64; send the base64 of the DER PKCS#10 request, without PEM lines.");
            }

            var audit = new StoreChangeSet();
            var issued = await certificates.IssueFromPolicyAsync(policyId, csr, connection.DeviceId, $"iothub:{hub.Name}", audit, cancellationToken);
            await store.CommitAsync(audit, cancellationToken);
            if (Superseded(connection, requestId))
            {
                return;
            }

            await ReplyAsync(connection, requestId, 200, new JsonArray([.. issued.ChainDer.Select(der => (JsonNode)Convert.ToBase64String(der))]), cancellationToken);
            LogIssued(logger, connection.DeviceId, hub.Name, issued.SerialNumber);
        }
        catch (OutpostException exception)
        {
            if (!Superseded(connection, requestId))
            {
                var (code, name) = exception.Code == ErrorCode.CsrRejected ? (400040, "FailedToDecodeCsr") : (400004, exception.Code.ToString());
                await ReplyErrorAsync(connection, requestId, 400, code, name, exception.Message, cancellationToken);
            }
        }
        catch (Exception exception)
        {
            // Nobody awaits this task: an unexpected fault is logged here and the device still gets an answer.
            LogFailed(logger, exception, connection.DeviceId, hub.Name);
            await ReplyErrorAsync(connection, requestId, 500, 500001, "ServerError", "The certificate could not be issued because of a server fault; retry later.", cancellationToken);
        }
        finally
        {
            lock (connection)
            {
                if (connection.RenewalInFlight == requestId)
                {
                    connection.RenewalInFlight = null;
                }
            }
        }
    }

    /// <summary>The policy the device's certificates come from: its record in the hub's Device Registry namespace names it.</summary>
    private async Task<string> PolicyOfAsync(HubInstance hub, string deviceId, CancellationToken cancellationToken)
    {
        var namespaceId = hub.NamespaceId
            ?? throw new OutpostException(ErrorCode.InvalidRequestContent, $"Hub '{hub.Name}' is not linked to a Device Registry namespace, so it has no policy to issue from.");
        var record = await store.GetResourceAsync($"{namespaceId}/devices/{deviceId}", cancellationToken);
        return (record is null ? null : JsonNode.Parse(record.Body)?["properties"]?["policy"]?["resourceId"]?.GetValue<string>())
            ?? throw new OutpostException(ErrorCode.InvalidRequestContent,
                $"Device '{deviceId}' has no credential policy in namespace '{namespaceId}'; it gets one when it registers through DPS with a CSR.");
    }

    private static bool Superseded(DeviceConnection connection, string requestId)
    {
        lock (connection)
        {
            return connection.RenewalInFlight != requestId;
        }
    }

    private Task ReplyErrorAsync(DeviceConnection connection, string requestId, int status, int code, string credentialError, string message, CancellationToken cancellationToken) =>
        ReplyAsync(connection, requestId, status, new JsonObject
        {
            ["errorCode"] = code,
            ["message"] = message,
            ["trackingId"] = Guid.NewGuid().ToString(),
            ["timestampUtc"] = time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["info"] = new JsonObject { ["correlationId"] = requestId, ["credentialError"] = credentialError, ["credentialMessage"] = message, ["requestId"] = requestId },
        }, cancellationToken);

    private async Task ReplyAsync(DeviceConnection connection, string requestId, int status, JsonNode body, CancellationToken cancellationToken) =>
        await connections.PublishAsync(connection, $"{ResponsePrefix}{status}/?$rid={requestId}", Encoding.UTF8.GetBytes(body.ToJsonString()),
            MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Error, EventName = "CertificateRenewalFailed",
        Message = "Renewing the certificate of device {DeviceId} of hub {Hub} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string deviceId, string hub);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, EventName = "CertificateRenewed",
        Message = "Device {DeviceId} of hub {Hub} renewed its certificate (serial {SerialNumber})")]
    private static partial void LogIssued(ILogger logger, string deviceId, string hub, string serialNumber);
}
