using MQTTnet.AspNetCore;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Outpost.Server.Mqtt;

/// <summary>
/// The MQTT-over-TLS listener, hosted inside Kestrel by MQTTnet. Devices and DPS registrations arrive here once the
/// hub and provisioning features exist; until then every CONNECT is answered "server unavailable" after the TLS
/// handshake, so a client learns the listener is Outpost's and that it does not serve devices yet.
/// </summary>
internal static partial class MqttListener
{
    public static IServiceCollection AddOutpostMqtt(this IServiceCollection services)
    {
        services.AddHostedMqttServer(options => options.WithoutDefaultEndpoint());
        services.AddMqttConnectionHandler();
        services.AddConnections();
        return services;
    }

    public static WebApplication UseOutpostMqtt(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MqttListener).FullName!);
        app.UseMqttServer(server => server.ValidatingConnectionAsync += arguments =>
        {
            arguments.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            LogRefused(logger, arguments.ClientId, arguments.ClientCertificate?.Subject ?? "none");
            return Task.CompletedTask;
        });
        return app;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, EventName = "MqttConnectionRefused",
        Message = "MQTT client {ClientId} (client certificate: {CertificateSubject}) refused: no device endpoint is served yet")]
    private static partial void LogRefused(ILogger logger, string clientId, string certificateSubject);
}
