using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// A hub device speaking MQTT 3.1.1 the way the SDKs do (user name <c>{host}/{id}/?api-version=…</c>, SAS password or
/// client certificate), for what the official SDK cannot send: other devices' topics, oversized messages, renewal.
/// </summary>
internal sealed class HubDeviceClient : IAsyncDisposable
{
    private readonly IMqttClient client;
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubDeviceClient(IMqttClient client) => this.client = client;

    public ConcurrentQueue<MqttApplicationMessage> Received { get; } = new();

    public TaskCompletionSource Disconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsConnected => client.IsConnected;

    /// <summary>Connects and returns the client with the CONNACK's result code; a refused client is returned too, unconnected.</summary>
    public static async Task<(HubDeviceClient Client, MqttClientConnectResultCode Result)> ConnectAsync(OutpostServer server, string hostName, string deviceId,
        string? password = null, X509Certificate2? certificate = null)
    {
        var anchorRaw = X509CertificateLoader.LoadCertificateFromFile(server.CaPemPath).RawData;
        var mqtt = new MqttClientFactory().CreateMqttClient();
        var device = new HubDeviceClient(mqtt);
        mqtt.ApplicationMessageReceivedAsync += arguments =>
        {
            device.Received.Enqueue(arguments.ApplicationMessage);
            Interlocked.Exchange(ref device.arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Task.CompletedTask;
        };
        mqtt.DisconnectedAsync += _ =>
        {
            device.Disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("localhost", server.MqttPort)
            .WithClientId(deviceId)
            .WithCredentials($"{hostName}/{deviceId}/?api-version=2021-04-12&DeviceClientType=outpost-tests", password)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(false)
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(hostName).WithCertificateValidationHandler(context =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(anchorRaw));
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(context.Certificate));
                });
                if (certificate is not null)
                {
                    tls.WithClientCertificates([certificate]);
                }
            });
        try
        {
            var result = await mqtt.ConnectAsync(builder.Build());
            return (device, result.ResultCode);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            // The refusal's reason is the server's to log; to the device it is only "not connected".
            return (device, MqttClientConnectResultCode.UnspecifiedError);
        }
    }

    public Task SubscribeAsync(string filter) => client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);

    /// <summary>Publishes with QoS 1 and waits for the PUBACK; throws if the server closes the connection instead.</summary>
    public Task PublishAsync(string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public Task PublishAsync(string topic, string payload) => PublishAsync(topic, Encoding.UTF8.GetBytes(payload));

    /// <summary>Waits for a message whose topic starts with <paramref name="prefix"/>.</summary>
    public async Task<MqttApplicationMessage> NextAsync(string prefix, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var next = Volatile.Read(ref arrived).Task;
            var match = Received.FirstOrDefault(message => message.Topic.StartsWith(prefix, StringComparison.Ordinal));
            if (match is not null)
            {
                return match;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No message on {prefix}… arrived; received: {string.Join(", ", Received.Select(message => message.Topic))}");
            }

            await next.WaitAsync(remaining);
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
