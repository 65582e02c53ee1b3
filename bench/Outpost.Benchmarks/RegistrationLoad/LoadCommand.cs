using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

using Outpost.Benchmarks.Common;

namespace Outpost.Benchmarks.RegistrationLoad;

/// <summary>
/// <c>registrations [--devices N] [--parallel P] [--curve P-256|P-384] [--warmup W]</c>: registers N devices of a
/// symmetric-key group with CSRs over MQTT with TLS, P at a time, against a fresh Release server on this machine, and
/// prints registrations per second and latency percentiles. Set-up, CSR generation and W uncounted registrations
/// (default 32) happen before the clock starts; a warm-up of a few thousand lets both processes' JIT reach its
/// optimised tier, so the figure is the steady state rather than the first minute of a fresh process.
/// </summary>
internal static class LoadCommand
{
    private const int DefaultDevices = 2000;
    private const int DefaultParallel = 64;
    private const int DefaultWarmup = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        var devicesOrNull = Option(args, "--devices", DefaultDevices);
        var parallelOrNull = Option(args, "--parallel", DefaultParallel);
        var warmupOrNull = Option(args, "--warmup", DefaultWarmup);
        var curveName = args.SkipWhile(arg => arg != "--curve").Skip(1).FirstOrDefault() ?? "P-256";
        ECCurve? curveOrNull = curveName switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            _ => null,
        };
        if (devicesOrNull is not (> 0 and var devices) || parallelOrNull is not (> 0 and var parallel) || warmupOrNull is not (>= 0 and var warmup) || curveOrNull is not { } curve)
        {
            await Console.Error.WriteLineAsync(
                "usage: registrations [--devices N] [--parallel P] [--curve P-256|P-384] [--warmup W], with N and P whole numbers above 0 and W 0 or more " +
                $"(got --devices {Raw(args, "--devices") ?? $"{DefaultDevices}"}, --parallel {Raw(args, "--parallel") ?? $"{DefaultParallel}"}, --warmup {Raw(args, "--warmup") ?? $"{DefaultWarmup}"}, --curve {curveName})");
            return 2;
        }

        await using var server = await OutpostProcess.StartAsync();
        var setup = await LoadSetup.CreateAsync(server);
        var prepared = Enumerable.Range(0, devices).Select(index => LoadDevice.Prepare(setup, $"load-{curveName}-{index:D6}", curve)).ToArray();

        // Warm up connections, JIT and the CA's code paths without counting them, at the measured parallelism.
        var warmupDevices = Enumerable.Range(0, warmup).Select(index => LoadDevice.Prepare(setup, $"warmup-{index:D6}", curve)).ToArray();
        var nextWarmup = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, Math.Max(warmup, 1))).Select(async _ =>
        {
            for (var index = Interlocked.Increment(ref nextWarmup); index < warmup; index = Interlocked.Increment(ref nextWarmup))
            {
                await warmupDevices[index].RegisterAsync(setup, server.MqttPort, CancellationToken.None);
            }
        }));

        var latencies = new double[devices];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            for (var index = Interlocked.Increment(ref next); index < devices; index = Interlocked.Increment(ref next))
            {
                var started = clock.Elapsed;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await prepared[index].RegisterAsync(setup, server.MqttPort, timeout.Token);
                latencies[index] = (clock.Elapsed - started).TotalMilliseconds;
            }
        }));
        clock.Stop();

        Array.Sort(latencies);
        string Percentile(double p) => CommandOptions.Percentile(latencies, p);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{devices} registrations with {curveName} CSRs, {parallel} in parallel, after {warmup} uncounted: {devices / clock.Elapsed.TotalSeconds:F0} registrations/s in {clock.Elapsed.TotalSeconds:F1} s; latency p50 {Percentile(0.50)} ms, p95 {Percentile(0.95)} ms, p99 {Percentile(0.99)} ms"));
        return 0;
    }

    private static int? Option(string[] args, string name, int fallback) => CommandOptions.Number(args, name, fallback);

    private static string? Raw(string[] args, string name) => CommandOptions.Raw(args, name);
}
