using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Outpost.Benchmarks.Common;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>
/// <c>telemetry [--devices N] [--messages M] [--payload B]</c>: N devices connected over MQTT with TLS each publish M
/// QoS 1 messages of B bytes, one at a time as the SDKs do, first to Outpost (every PUBACK after the message is on
/// disk) and then to Debian's Mosquitto under the same load, and prints messages/s and publish-to-PUBACK latency
/// for both. Between the two, the same load runs against MQTTnet alone (<see cref="MqttnetBroker"/>): the ceiling of the
/// connection stack Outpost is built on. Throttles and the daily quota are off on the Outpost side, as a load test needs.
/// </summary>
internal static class TelemetryCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devicesOrNull = CommandOptions.Number(args, "--devices", 1000);
        var messagesOrNull = CommandOptions.Number(args, "--messages", 20);
        var payloadOrNull = CommandOptions.Number(args, "--payload", 256);
        if (devicesOrNull is not (> 0 and var devices) || messagesOrNull is not (> 0 and var messages) || payloadOrNull is not (> 0 and <= 262_144 and var payloadBytes))
        {
            await Console.Error.WriteLineAsync("usage: telemetry [--devices N] [--messages M] [--payload B], whole numbers above 0 (B at most 262144)");
            return 2;
        }

        var payload = RandomNumberGenerator.GetBytes(payloadBytes);
        await using (var outpost = await OutpostProcess.StartAsync("--Outpost:IotHub:Throttling:Enabled=false", "--Outpost:IotHub:DailyMessageQuota=1000000000",
            "--Logging:LogLevel:Outpost.IotHub=Warning"))
        {
            var setup = await HubLoadSetup.CreateAsync(outpost, devices, "telemetry");
            var result = await RunAsync(devices, messages, payload, (index, cancellationToken) =>
            {
                var deviceId = HubLoadSetup.DeviceId("telemetry", index);
                return LoadDeviceClient.ConnectAsync(setup.HostName, outpost.MqttPort, setup.HostName, deviceId,
                    ServerApi.Sas($"{setup.HostName}/devices/{deviceId}", setup.DeviceKey, null), setup.TrustAnchor, cancellationToken);
            });
            Report("Outpost  ", devices, messages, payloadBytes, result);
        }

        // The comparison brokers take the same devices without credentials, trusting one throw-away CA.
        using var tls = BenchmarkTls.Create();
        foreach (var (label, startBroker) in ((string, Func<BenchmarkTls, Task<BrokerProcess>>)[])[("MQTTnet  ", MqttnetBroker.StartAsync), ("Mosquitto", Mosquitto.StartAsync)])
        {
            await using var broker = await startBroker(tls);
            var result = await RunAsync(devices, messages, payload, (index, cancellationToken) =>
                LoadDeviceClient.ConnectAsync("localhost", broker.Port, "localhost", HubLoadSetup.DeviceId("telemetry", index), null, tls.Authority, cancellationToken));
            Report(label, devices, messages, payloadBytes, result);
        }

        return 0;
    }

    private static async Task<(double PerSecond, double Seconds, double[] Latencies)> RunAsync(int devices, int messages, byte[] payload,
        Func<int, CancellationToken, Task<LoadDeviceClient>> connect)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var clients = new LoadDeviceClient[devices];
        using (var gate = new SemaphoreSlim(50))
        {
            await Task.WhenAll(Enumerable.Range(0, devices).Select(async index =>
            {
                await gate.WaitAsync(timeout.Token);
                try
                {
                    clients[index] = await connect(index, timeout.Token);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        // One message each first: warms up JIT, pools and the write path without counting.
        await Task.WhenAll(clients.Select(client => client.PublishAsync(payload, timeout.Token)));

        var latencies = new double[devices * messages];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (client, index) =>
        {
            for (var message = 0; message < messages; message++)
            {
                var started = clock.Elapsed;
                await client.PublishAsync(payload, timeout.Token);
                latencies[(index * messages) + message] = (clock.Elapsed - started).TotalMilliseconds;
            }
        }));
        clock.Stop();
        await Task.WhenAll(clients.Select(client => client.DisposeAsync().AsTask()));
        Array.Sort(latencies);
        return (latencies.Length / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds, latencies);
    }

    private static void Report(string broker, int devices, int messages, int payloadBytes, (double PerSecond, double Seconds, double[] Latencies) result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{broker}: {devices} devices × {messages} QoS 1 messages of {payloadBytes} B over TLS: {result.PerSecond:F0} messages/s in {result.Seconds:F1} s; " +
            $"publish-to-PUBACK p50 {CommandOptions.Percentile(result.Latencies, 0.50)} ms, p99 {CommandOptions.Percentile(result.Latencies, 0.99)} ms"));
}
