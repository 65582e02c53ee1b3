using MQTTnet.AspNetCore;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Outpost.IotHub;
using Outpost.Provisioning.Registration;

namespace Outpost.Server.Mqtt;

/// <summary>
/// The MQTT-over-TLS listener, hosted inside Kestrel by MQTTnet. Connections are told apart by user name: DPS
/// registrations (<c>{idScope}/registrations/{id}/…</c>) go to the provisioning feature, hub devices
/// (<c>{hostName}/{deviceId}/?api-version=…</c>) to the hub's device endpoint; anything else is refused.
/// </summary>
internal static partial class MqttListener
{
    public static IServiceCollection AddOutpostMqtt(this IServiceCollection services)
    {
        // A client that opens a connection and never sends CONNECT (or stalls mid-packet) is dropped after ten seconds.
        services.AddHostedMqttServer(options => options.WithoutDefaultEndpoint().WithDefaultCommunicationTimeout(TimeSpan.FromSeconds(10)));
        services.AddMqttConnectionHandler();
        services.AddConnections();
        return services;
    }

    public static WebApplication UseOutpostMqtt(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MqttListener).FullName!);
        var provisioning = app.Services.GetRequiredService<ProvisioningMqtt>();
        app.UseMqttServer(server =>
        {
            server.ValidatingConnectionAsync += arguments =>
            {
                if (ProvisioningMqtt.Handles(arguments.UserName))
                {
                    return provisioning.ValidateAsync(arguments);
                }

                if (IotHubServiceCollectionExtensions.IsHubDevice(arguments.UserName))
                {
                    return app.Services.ValidateHubDeviceAsync(arguments);
                }

                arguments.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                LogRefused(logger, arguments.ClientId, arguments.ClientCertificate?.Subject ?? "none");
                return Task.CompletedTask;
            };
            server.InterceptingSubscriptionAsync += ProvisioningMqtt.InterceptSubscriptionAsync;
            server.InterceptingPublishAsync += arguments => provisioning.InterceptPublishAsync(arguments, server);
            server.InterceptingClientEnqueueAsync += ProvisioningMqtt.InterceptEnqueueAsync;
            server.AttachIotHub(app.Services);
        });

        // MQTT over WebSockets on the HTTPS listener, where the SDKs' MqttWs transports connect (port 443, subprotocol mqtt).
        app.MapConnectionHandler<MqttConnectionHandler>("/$iothub/websocket", dispatcher =>
            dispatcher.WebSockets.SubProtocolSelector = MqttSubProtocolSelector.SelectSubProtocol);
        return app;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, EventName = "MqttConnectionRefused",
        Message = "MQTT client {ClientId} (client certificate: {CertificateSubject}) refused: its user name is neither a DPS registration's nor a hub device's")]
    private static partial void LogRefused(ILogger logger, string clientId, string certificateSubject);
}
