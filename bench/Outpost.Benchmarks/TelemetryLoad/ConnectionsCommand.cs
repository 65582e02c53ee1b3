using System.Diagnostics;
using System.Globalization;
using Outpost.Benchmarks.Common;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>
/// <c>connections [--devices N] [--parallel P]</c>: connects N devices over MQTT with TLS and SAS tokens, P handshakes
/// at a time, keeps them all open, and prints the connect rate and the server's memory per idle connection (resident
/// memory after, less before, over N). The process needs a file-descriptor limit above N (<c>ulimit -n</c>).
/// </summary>
internal static class ConnectionsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devicesOrNull = CommandOptions.Number(args, "--devices", 20_000);
        var parallelOrNull = CommandOptions.Number(args, "--parallel", 64);
        if (devicesOrNull is not (> 0 and var devices) || parallelOrNull is not (> 0 and var parallel))
        {
            await Console.Error.WriteLineAsync("usage: connections [--devices N] [--parallel P], whole numbers above 0");
            return 2;
        }

        await using var outpost = await OutpostProcess.StartAsync("--Outpost:IotHub:Throttling:Enabled=false", "--Logging:LogLevel:Outpost.IotHub=Warning");
        var setup = await HubLoadSetup.CreateAsync(outpost, devices, "idle");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        GC.Collect();
        var before = CommandOptions.ResidentMebibytes(outpost.ProcessId);
        var clients = new LoadDeviceClient[devices];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            for (var index = Interlocked.Increment(ref next); index < devices; index = Interlocked.Increment(ref next))
            {
                var deviceId = HubLoadSetup.DeviceId("idle", index);
                clients[index] = await LoadDeviceClient.ConnectAsync(setup.HostName, outpost.MqttPort, setup.HostName, deviceId,
                    ServerApi.Sas($"{setup.HostName}/devices/{deviceId}", setup.DeviceKey, null), setup.TrustAnchor, timeout.Token);
            }
        }));
        clock.Stop();

        // Let the server settle (allocations of the handshakes collected) before reading its memory.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var after = CommandOptions.ResidentMebibytes(outpost.ProcessId);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{devices} concurrent TLS device connections ({parallel} handshakes at a time): {devices / clock.Elapsed.TotalSeconds:F0} connects/s in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"server resident memory {before:F0} MiB before, {after:F0} MiB with all connected: {(after - before) * 1024 / devices:F1} KiB per idle connection"));
        await Task.WhenAll(clients.Select(client => client.DisposeAsync().AsTask()));
        return 0;
    }
}
