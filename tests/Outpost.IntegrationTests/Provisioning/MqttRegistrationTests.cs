using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Outpost.Core.SharedAccess;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Provisioning;

/// <summary>Registration with a CSR over MQTT with a plain MQTT client (no official SDK sends a CSR yet).</summary>
public sealed class MqttRegistrationTests(RegistrationFixture fixture) : IClassFixture<RegistrationFixture>
{
    [Fact]
    public async Task ACsrSentOverMqttIsIssuedAChainAndOnlyTheAskingClientHearsTheAnswer()
    {
        await using var device = await DpsClient.ConnectAsync(fixture, "mqtt-sensor-1");
        await using var eavesdropper = await DpsClient.ConnectAsync(fixture, "mqtt-sensor-2");

        var csr = DeviceKeys.EcCsr("mqtt-sensor-1", ECCurve.NamedCurves.nistP384);
        var accepted = await device.RequestAsync($"$dps/registrations/PUT/iotdps-register/?$rid=1", new JsonObject { ["registrationId"] = "mqtt-sensor-1", ["csr"] = Convert.ToBase64String(csr) });
        Assert.Equal(202, accepted.Status);
        Assert.Contains("retry-after=1", accepted.Topic, StringComparison.Ordinal);
        var operationId = accepted.Body["operationId"]!.GetValue<string>();
        var done = await device.RequestAsync($"$dps/registrations/GET/iotdps-get-operationstatus/?$rid=2&operationId={operationId}", new JsonObject());
        Assert.Equal(200, done.Status);
        Assert.Equal("assigned", done.Body["status"]!.GetValue<string>());

        var chain = done.Body["registrationState"]!["issuedCertificateChain"]!.AsArray().Select(item => Convert.FromBase64String(item!.GetValue<string>())).ToList();
        using var leaf = X509CertificateLoader.LoadCertificate(chain[0]);
        Assert.Equal("CN=mqtt-sensor-1", leaf.Subject);
        var (exitCode, output) = await DeviceKeys.OpensslVerifyAsync(chain);
        Assert.True(exitCode == 0, output);

        // The other client asks afterwards; by the time its own answer arrives it must have heard nothing else.
        var own = await eavesdropper.RequestAsync("$dps/registrations/PUT/iotdps-register/?$rid=9", new JsonObject { ["registrationId"] = "mqtt-sensor-2" });
        Assert.Equal(202, own.Status);
        Assert.All(eavesdropper.Received, message => Assert.Contains("$rid=9", message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongKeyIsAnsweredWithDpsJsonError()
    {
        await using var device = await DpsClient.ConnectAsync(fixture, "mqtt-impostor", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var refused = await device.RequestAsync("$dps/registrations/PUT/iotdps-register/?$rid=1", new JsonObject { ["registrationId"] = "mqtt-impostor" });
        Assert.Equal(401, refused.Status);
        Assert.Equal(401002, refused.Body["errorCode"]!.GetValue<int>());
        Assert.Contains("No enrollment", refused.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A DPS device speaking MQTT 3.1.1 the way the SDKs do, answering each request from its response topic.</summary>
    private sealed class DpsClient : IAsyncDisposable
    {
        private readonly IMqttClient client;
        private readonly ConcurrentDictionary<string, TaskCompletionSource<(int, string, JsonObject)>> pending = new();

        private DpsClient(IMqttClient client) => this.client = client;

        public ConcurrentQueue<string> Received { get; } = new();

        public static async Task<DpsClient> ConnectAsync(RegistrationFixture fixture, string registrationId, string? key = null)
        {
            var deviceKey = key ?? Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(fixture.GroupKey), Encoding.UTF8.GetBytes(registrationId)));
            var token = SharedAccessSignature.Create($"{fixture.Setup.IdScope}/registrations/{registrationId}", deviceKey, "registration", DateTimeOffset.UtcNow.AddHours(1));
            using var trustAnchor = X509CertificateLoader.LoadCertificateFromFile(fixture.Server.CaPemPath);
            var anchorRaw = trustAnchor.RawData;
            var mqtt = new MqttClientFactory().CreateMqttClient();
            var dps = new DpsClient(mqtt);
            mqtt.ApplicationMessageReceivedAsync += arguments =>
            {
                var topic = arguments.ApplicationMessage.Topic;
                dps.Received.Enqueue(topic);
                var status = int.Parse(topic.Split('/')[3], System.Globalization.CultureInfo.InvariantCulture);
                var rid = topic[(topic.IndexOf("$rid=", StringComparison.Ordinal) + 5)..].Split('&')[0];
                var body = JsonNode.Parse(Encoding.UTF8.GetString(arguments.ApplicationMessage.Payload))!.AsObject();
                if (dps.pending.TryRemove(rid, out var waiter))
                {
                    waiter.TrySetResult((status, topic, body));
                }

                return Task.CompletedTask;
            };
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("localhost", fixture.Server.MqttPort)
                .WithClientId(registrationId)
                .WithCredentials($"{fixture.Setup.IdScope}/registrations/{registrationId}/api-version=2025-07-01-preview&ClientVersion=outpost-tests", token)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithCleanSession()
                .WithTlsOptions(tls => tls.UseTls().WithTargetHost("global.dps.outpost.localhost").WithCertificateValidationHandler(context =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(anchorRaw));
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(context.Certificate));
                }))
                .Build();
            var connected = await mqtt.ConnectAsync(options);
            Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
            await mqtt.SubscribeAsync("$dps/registrations/res/#", MqttQualityOfServiceLevel.AtLeastOnce);
            return dps;
        }

        public async Task<(int Status, string Topic, JsonObject Body)> RequestAsync(string topic, JsonObject body)
        {
            var rid = topic[(topic.IndexOf("$rid=", StringComparison.Ordinal) + 5)..].Split('&')[0];
            var waiter = new TaskCompletionSource<(int, string, JsonObject)>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[rid] = waiter;
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(body.ToJsonString())
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            try
            {
                return await waiter.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"No answer on $dps/registrations/res/… for $rid={rid} within 30 s; received: {string.Join(", ", Received)}");
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
}
