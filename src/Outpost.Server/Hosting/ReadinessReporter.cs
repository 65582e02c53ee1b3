namespace Outpost.Server.Hosting;

/// <summary>Marks the server ready once Kestrel has bound every listener, and says so in one log line with the bound ports.</summary>
internal sealed partial class ReadinessReporter(IHostApplicationLifetime lifetime, ListenerState listeners, ILogger<ReadinessReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            listeners.Ready = true;
            LogReady(logger, listeners.HttpsPort, listeners.MqttPort);
        });
        lifetime.ApplicationStopping.Register(() => listeners.Ready = false);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, EventName = "OutpostReady",
        Message = "Outpost ready: HTTPS on port {HttpsPort}, MQTT on port {MqttPort}")]
    private static partial void LogReady(ILogger logger, int httpsPort, int mqttPort);
}
