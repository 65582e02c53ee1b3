using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>One simulated device: MQTT 3.1.1 over TLS with a SAS password, as azure-iot-device connects, publishing QoS 1 telemetry one message at a time.</summary>
internal sealed class LoadDeviceClient(IMqttClient client, string deviceId) : IAsyncDisposable
{
    public string DeviceId => deviceId;

    public static async Task<LoadDeviceClient> ConnectAsync(string targetHost, int port, string hostName, string deviceId, string? password, X509Certificate2 anchor,
        CancellationToken cancellationToken)
    {
        var anchorRaw = anchor.RawData;
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(deviceId)
            .WithCredentials($"{hostName}/{deviceId}/?api-version=2021-04-12", password)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(180))
            .WithTimeout(TimeSpan.FromSeconds(60))
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost(targetHost).WithCertificateValidationHandler(context =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(anchorRaw));
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(context.Certificate));
            }))
            .Build();
        var result = await client.ConnectAsync(options, cancellationToken);
        return result.ResultCode == MqttClientConnectResultCode.Success
            ? new LoadDeviceClient(client, deviceId)
            : throw new InvalidOperationException($"{deviceId} was refused: {result.ResultCode}");
    }

    /// <summary>Publishes one QoS 1 message and returns when its PUBACK arrived.</summary>
    public async Task PublishAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic($"devices/{deviceId}/messages/events/").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"{deviceId}: publish failed with {result.ReasonCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }

        client.Dispose();
    }
}
