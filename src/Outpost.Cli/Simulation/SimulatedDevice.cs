using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Outpost.Cli.Simulation;

/// <summary>Where and how a simulated device reaches its hub.</summary>
internal sealed record DeviceEndpoint(string HubHost, string ConnectHost, int Port, X509Certificate2? TrustAnchor);

/// <summary>
/// One simulated device on its hub, as the SDKs behave: MQTT 3.1.1 over TLS with its issued certificate, telemetry at
/// a steady rate, direct methods answered (200 with what was asked), desired properties reported back, and its
/// certificate renewed over MQTT when it is close to expiry, then a reconnect with the new one.
/// </summary>
internal sealed class SimulatedDevice(string deviceId, DeviceEndpoint endpoint, SimulationStats stats) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> renewals = new(StringComparer.Ordinal);
    private IMqttClient? client;
    private int requestCounter;

    public string DeviceId => deviceId;

    public X509Certificate2? Certificate { get; private set; }

    public async Task RunAsync(X509Certificate2 certificate, TimeSpan interval, int maxMessages, TimeSpan renewWithin, CancellationToken cancellationToken)
    {
        await ConnectAsync(certificate, cancellationToken);
        if (certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow < renewWithin)
        {
            await RenewAsync(cancellationToken);
        }

        for (var sequence = 1; maxMessages == 0 || sequence <= maxMessages; sequence++)
        {
            var reading = new JsonObject
            {
                ["sequence"] = sequence,
                ["temperature"] = Math.Round(20 + (Random.Shared.NextDouble() * 5), 2),
                ["humidity"] = Math.Round(40 + (Random.Shared.NextDouble() * 20), 1),
            };
            await PublishAsync($"devices/{deviceId}/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8", reading.ToJsonString(), MqttQualityOfServiceLevel.AtLeastOnce,
                cancellationToken);
            stats.MessageSent();
            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>Asks the hub for a new certificate for a new key, waits for it, and reconnects with it.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={deviceId}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var requestId = $"renew-{Interlocked.Increment(ref requestCounter).ToString(CultureInfo.InvariantCulture)}";
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        renewals[requestId] = answer;
        await PublishAsync($"$iothub/credentials/POST/issueCertificate/?$rid={requestId}",
            new JsonObject { ["id"] = deviceId, ["csr"] = Convert.ToBase64String(csr), ["replace"] = "*" }.ToJsonString(), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        var chain = await answer.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken) as JsonArray
            ?? throw new InvalidOperationException($"{deviceId}: the renewal answer carried no certificate chain.");
        using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(chain[0]!.GetValue<string>()));
        var renewed = DeviceOnboarding.Exportable(leaf, key);
        await DisconnectAsync();
        await ConnectAsync(renewed, cancellationToken);
        stats.Renewed();
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        Certificate?.Dispose();
    }

    private async Task ConnectAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        Certificate = certificate;
        var anchorRaw = endpoint.TrustAnchor?.RawData;
        var mqtt = new MqttClientFactory().CreateMqttClient();
        mqtt.ApplicationMessageReceivedAsync += OnMessageAsync;
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.ConnectHost, endpoint.Port)
            .WithClientId(deviceId)
            .WithCredentials($"{endpoint.HubHost}/{deviceId}/?api-version=2025-08-01-preview&DeviceClientType=outpost-simulator", (string?)null)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(180))
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(endpoint.HubHost).WithClientCertificates([certificate]);
                if (anchorRaw is not null)
                {
                    tls.WithCertificateValidationHandler(context =>
                    {
                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(anchorRaw));
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return context.SslPolicyErrors is System.Net.Security.SslPolicyErrors.None or System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors
                            && chain.Build(new X509Certificate2(context.Certificate));
                    });
                }
            })
            .Build();
        var result = await mqtt.ConnectAsync(options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            mqtt.Dispose();
            throw new InvalidOperationException($"{deviceId}: the hub refused the connection ({result.ResultCode}).");
        }

        foreach (var filter in (string[])["$iothub/methods/POST/#", "$iothub/twin/PATCH/properties/desired/#", "$iothub/twin/res/#", "$iothub/credentials/res/#"])
        {
            await mqtt.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        }

        client = mqtt;
        stats.Connected();

        // As the SDKs do after every connect: read the whole twin, so desired changes made while offline are not missed.
        await PublishAsync($"$iothub/twin/GET/?$rid=get-{Interlocked.Increment(ref requestCounter)}", " ", MqttQualityOfServiceLevel.AtMostOnce, cancellationToken);
    }

    private async Task DisconnectAsync()
    {
        if (client is { } connected)
        {
            client = null;
            if (connected.IsConnected)
            {
                await connected.DisconnectAsync();
            }

            connected.Dispose();
            stats.Disconnected();
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs arguments)
    {
        var topic = arguments.ApplicationMessage.Topic;
        var payload = Encoding.UTF8.GetString(arguments.ApplicationMessage.Payload);
        var requestId = topic.Contains("$rid=", StringComparison.Ordinal) ? topic[(topic.IndexOf("$rid=", StringComparison.Ordinal) + 5)..].Split('&')[0] : string.Empty;
        if (topic.StartsWith("$iothub/methods/POST/", StringComparison.Ordinal))
        {
            var method = topic["$iothub/methods/POST/".Length..].Split('/')[0];
            var answer = new JsonObject { ["method"] = method, ["handledBy"] = deviceId, ["request"] = JsonNode.Parse(payload.Length == 0 ? "null" : payload) };
            await PublishAsync($"$iothub/methods/res/200/?$rid={requestId}", answer.ToJsonString(), MqttQualityOfServiceLevel.AtMostOnce, CancellationToken.None);
            stats.MethodAnswered();
        }
        else if (topic.StartsWith("$iothub/twin/PATCH/properties/desired/", StringComparison.Ordinal) && JsonNode.Parse(payload) is JsonObject desired)
        {
            await ReportAsync(desired);
        }
        else if (topic.StartsWith("$iothub/twin/res/200/", StringComparison.Ordinal) && requestId.StartsWith("get-", StringComparison.Ordinal)
            && JsonNode.Parse(payload)?["desired"] is JsonObject current && current.Count > 1)
        {
            await ReportAsync(current.DeepClone().AsObject());
        }
        else if (topic.StartsWith("$iothub/credentials/res/", StringComparison.Ordinal) && renewals.TryGetValue(requestId, out var renewal))
        {
            var status = topic["$iothub/credentials/res/".Length..].Split('/')[0];
            if (status == "200")
            {
                renewal.TrySetResult(JsonNode.Parse(payload));
            }
            else if (status != "202")
            {
                renewal.TrySetException(new InvalidOperationException($"{deviceId}: renewal refused ({status}): {payload}"));
            }
        }
    }

    /// <summary>Reports the desired properties back as reported ones: the device "applied" them.</summary>
    private async Task ReportAsync(JsonObject desired)
    {
        desired.Remove("$version");
        await PublishAsync($"$iothub/twin/PATCH/properties/reported/?$rid=report-{Interlocked.Increment(ref requestCounter)}", desired.ToJsonString(),
            MqttQualityOfServiceLevel.AtMostOnce, CancellationToken.None);
        stats.TwinReported();
    }

    private async Task PublishAsync(string topic, string payload, MqttQualityOfServiceLevel quality, CancellationToken cancellationToken)
    {
        var connected = client ?? throw new InvalidOperationException($"{deviceId} is not connected.");
        await connected.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(quality).Build(), cancellationToken);
    }
}
