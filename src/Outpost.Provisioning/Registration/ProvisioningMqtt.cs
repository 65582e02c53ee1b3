using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Outpost.Core.Errors;
using Outpost.Core.SharedAccess;
using Outpost.Provisioning.Instances;
using Outpost.Provisioning.ServiceApi;

namespace Outpost.Provisioning.Registration;

/// <summary>
/// Device registration over MQTT, plugged into the server's MQTT listener: a DPS client connects with its ID scope
/// and registration id in the user name, subscribes to <c>$dps/registrations/res/#</c>, publishes register and
/// status requests, and gets each answer (with DPS's JSON, errors included) on its response topic. Answers go only
/// to the client that asked: every DPS client subscribes to the same filter.
/// </summary>
public sealed partial class ProvisioningMqtt
{
    private const string SessionKey = "outpost.provisioning";
    private const string SenderPrefix = "$outpost/provisioning/";

    private readonly ProvisioningInstances instances;
    private readonly RegistrationService registrations;
    private readonly TimeProvider time;
    private readonly ILogger<ProvisioningMqtt> logger;

    internal ProvisioningMqtt(ProvisioningInstances instances, RegistrationService registrations, TimeProvider time, ILogger<ProvisioningMqtt> logger)
    {
        this.instances = instances;
        this.registrations = registrations;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>True when the user name is a DPS registration's, so the listener hands the connection here.</summary>
    public static bool Handles(string? userName) => ProvisioningMqttUser.Parse(userName) is not null;

    /// <summary>
    /// Accepts a connection for a known ID scope whose client id is the registration id; the credential (password SAS
    /// or TLS client certificate) is checked by each request, so a failure reaches the device as DPS's JSON error.
    /// </summary>
    public async Task ValidateAsync(ValidatingConnectionEventArgs arguments)
    {
        var user = ProvisioningMqttUser.Parse(arguments.UserName)!;
        var instance = await instances.ByIdScopeAsync(user.IdScope, arguments.CancellationToken);
        if (instance is null || !string.Equals(arguments.ClientId, user.RegistrationId, StringComparison.Ordinal))
        {
            arguments.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogRefused(logger, arguments.ClientId, instance is null ? $"unknown ID scope '{user.IdScope}'" : "client id differs from the registration id");
            return;
        }

        DeviceCredential credential;
        if (SharedAccessSignature.TryParse(arguments.Password, out var token) && token is not null)
        {
            credential = new DeviceCredential.Token(token);
        }
        else if (arguments.ClientCertificate is { } certificate)
        {
            credential = new DeviceCredential.Certificate(certificate, [certificate]);
        }
        else
        {
            arguments.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogRefused(logger, arguments.ClientId, "neither a SAS password nor a client certificate");
            return;
        }

        arguments.SessionItems[SessionKey] = new Session(instance, user.RegistrationId, credential);
        arguments.ReasonCode = MqttConnectReasonCode.Success;
    }

    /// <summary>A DPS client may subscribe to its response topic and nothing else.</summary>
    public static Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs arguments)
    {
        if (arguments.SessionItems[SessionKey] is Session)
        {
            arguments.ProcessSubscription = arguments.TopicFilter.Topic == MqttTopics.ResponseFilter;
        }

        return Task.CompletedTask;
    }

    /// <summary>Answers register and status requests; nothing a DPS client publishes is passed on to other clients.</summary>
    public async Task InterceptPublishAsync(InterceptingPublishEventArgs arguments, MqttServer server)
    {
        if (arguments.SessionItems[SessionKey] is not Session session)
        {
            return;
        }

        arguments.ProcessPublish = false;
        var topic = arguments.ApplicationMessage.Topic;
        var properties = MqttTopics.Properties(topic);
        var requestId = properties.GetValueOrDefault("$rid", string.Empty);
        var (status, body, retryAfter) = await AnswerAsync(session, topic, properties, arguments.ApplicationMessage, arguments.CancellationToken);
        var response = new MqttApplicationMessageBuilder()
            .WithTopic(MqttTopics.Response(status, requestId, retryAfter))
            .WithPayload(Encoding.UTF8.GetBytes(body.ToJsonString()))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(response) { SenderClientId = SenderPrefix + arguments.ClientId }, arguments.CancellationToken);
    }

    /// <summary>Delivers a DPS answer only to the client whose request it answers.</summary>
    public static Task InterceptEnqueueAsync(InterceptingClientApplicationMessageEnqueueEventArgs arguments)
    {
        if (arguments.ApplicationMessage.Topic.StartsWith(MqttTopics.ResponsePrefix, StringComparison.Ordinal))
        {
            arguments.AcceptEnqueue = arguments.SenderClientId == SenderPrefix + arguments.ReceiverClientId;
        }

        return Task.CompletedTask;
    }

    private async Task<(int Status, JsonNode Body, int? RetryAfter)> AnswerAsync(Session session, string topic, Dictionary<string, string> properties,
        MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (topic.StartsWith(MqttTopics.Register, StringComparison.Ordinal))
            {
                var payload = Encoding.UTF8.GetString(message.Payload);
                var body = string.IsNullOrWhiteSpace(payload) ? [] : JsonNode.Parse(payload) as JsonObject
                    ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "The register request's payload must be a JSON object.");
                var operation = await registrations.RegisterAsync(session.Instance, session.RegistrationId, session.Credential, body, cancellationToken);
                session.Attested = true;
                return (202, new JsonObject { ["operationId"] = operation.Id, ["status"] = "assigning" }, 1);
            }

            if (topic.StartsWith(MqttTopics.OperationStatus, StringComparison.Ordinal))
            {
                var operationId = properties.GetValueOrDefault("operationId")
                    ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "A status request needs operationId in its topic.");
                // A session whose register request passed attestation has proven its credential for this connection.
                return (200, await registrations.GetOperationAsync(session.Instance, session.RegistrationId, session.Attested ? null : session.Credential, operationId,
                    cancellationToken), null);
            }

            throw new OutpostException(ErrorCode.InvalidRequestContent,
                $"'{topic}' is not a DPS request topic; publish to {MqttTopics.Register}?$rid=… or {MqttTopics.OperationStatus}?$rid=…&operationId=….");
        }
        catch (System.Text.Json.JsonException exception)
        {
            return Error(new OutpostException(ErrorCode.InvalidRequestContent, $"The request payload is not valid JSON: {exception.Message}"));
        }
        catch (OutpostException exception)
        {
            return Error(exception);
        }
    }

    private (int Status, JsonNode Body, int? RetryAfter) Error(OutpostException exception)
    {
        var (status, errorCode) = ProvisioningErrors.Classify(exception.Code);
        return (status, new JsonObject
        {
            ["errorCode"] = errorCode,
            ["trackingId"] = Guid.NewGuid().ToString(),
            ["message"] = exception.Message,
            ["timestampUtc"] = time.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, null);
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, EventName = "ProvisioningMqttRefused",
        Message = "DPS MQTT client {ClientId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string reason);

    private sealed record Session(ProvisioningInstance Instance, string RegistrationId, DeviceCredential Credential)
    {
        public bool Attested { get; set; }
    }
}
