using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Outpost.Benchmarks.RegistrationLoad;

/// <summary>
/// One device's registration as the SDKs do it over MQTT with TLS: connect with a group-derived SAS, subscribe,
/// publish the register request with its CSR, wait for 202, poll once, wait for the assigned state and its chain.
/// </summary>
internal sealed class LoadDevice(string registrationId, string password, string csr)
{
    /// <summary>Server certificates already checked against the trust anchor: a client remembers its trust decision, as a TLS session cache would.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Trusted = new();

    public static LoadDevice Prepare(LoadSetup setup, string registrationId, ECCurve curve)
    {
        var deviceKey = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(setup.GroupKey), Encoding.UTF8.GetBytes(registrationId)));
        using var key = ECDsa.Create(curve);
        var csr = new CertificateRequest($"CN={registrationId}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        return new LoadDevice(registrationId, LoadSetup.Sas($"{setup.IdScope}/registrations/{registrationId}", deviceKey, "registration"), Convert.ToBase64String(csr));
    }

    public async Task RegisterAsync(LoadSetup setup, int mqttPort, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var answers = new Dictionary<string, TaskCompletionSource<JsonObject>>
        {
            ["1"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["2"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        client.ApplicationMessageReceivedAsync += arguments =>
        {
            var topic = arguments.ApplicationMessage.Topic;
            var rid = topic[(topic.IndexOf("$rid=", StringComparison.Ordinal) + 5)..].Split('&')[0];
            var body = JsonNode.Parse(Encoding.UTF8.GetString(arguments.ApplicationMessage.Payload))!.AsObject();
            if (!topic.StartsWith("$dps/registrations/res/20", StringComparison.Ordinal))
            {
                answers[rid].TrySetException(new InvalidOperationException($"{registrationId}: {topic} {body}"));
            }

            answers[rid].TrySetResult(body);
            return Task.CompletedTask;
        };
        var anchor = setup.TrustAnchor.RawData;
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", mqttPort)
            .WithClientId(registrationId)
            .WithCredentials($"{setup.IdScope}/registrations/{registrationId}/api-version=2025-07-01-preview", password)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost("global.dps.outpost.localhost").WithCertificateValidationHandler(context =>
            {
                if (Trusted.ContainsKey(context.Certificate.GetCertHashString()))
                {
                    return true;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(anchor));
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                var trusted = chain.Build(new X509Certificate2(context.Certificate));
                if (trusted)
                {
                    Trusted[context.Certificate.GetCertHashString()] = true;
                }

                return trusted;
            }))
            .Build(), cancellationToken);
        await client.SubscribeAsync("$dps/registrations/res/#", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        await Publish(client, "$dps/registrations/PUT/iotdps-register/?$rid=1", new JsonObject { ["registrationId"] = registrationId, ["csr"] = csr }, cancellationToken);
        var accepted = await answers["1"].Task.WaitAsync(cancellationToken);
        await Publish(client, $"$dps/registrations/GET/iotdps-get-operationstatus/?$rid=2&operationId={accepted["operationId"]}", [], cancellationToken);
        var assigned = await answers["2"].Task.WaitAsync(cancellationToken);
        if (assigned["registrationState"]?["issuedCertificateChain"] is not JsonArray { Count: 3 })
        {
            throw new InvalidOperationException($"{registrationId} was not issued a chain: {assigned}");
        }

        await client.DisconnectAsync(cancellationToken: cancellationToken);
    }

    private static Task Publish(IMqttClient client, string topic, JsonObject body, CancellationToken cancellationToken) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(body.ToJsonString())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
}
