using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Outpost.Benchmarks.Common;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>
/// Debian's Mosquitto 2 with a TLS listener on a free loopback port and a certificate from a throw-away CA, as the
/// comparison broker of the telemetry benchmark. Defaults otherwise (in-memory only: it writes nothing to disk); it
/// stays the user that starts it, since its private key lives in a directory only that user may read.
/// </summary>
internal sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private MosquittoProcess(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <param name="tls">The listener's certificate; clients trust its authority.</param>
    public static async Task<MosquittoProcess> StartAsync(BenchmarkTls tls)
    {
        var executable = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Mosquitto is not installed; the comparison needs Debian's package: apt-get install -y mosquitto");
        var directory = Directory.CreateTempSubdirectory("outpost-mosquitto-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "server.pem"), tls.Server.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "server.key"), tls.Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var port = LoopbackPort.Free();
        await File.WriteAllTextAsync(Path.Combine(directory, "mosquitto.conf"),
            $"""
            user root
            per_listener_settings false
            allow_anonymous true
            persistence false
            max_queued_messages 100000
            listener {port} 127.0.0.1
            certfile {directory}/server.pem
            keyfile {directory}/server.key
            """);
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(directory, "mosquitto.conf"));
        var process = Process.Start(start)!;
        var started = new TaskCompletionSource();
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("running", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        return new MosquittoProcess(process, directory, port);
    }

    public int ProcessId => process.Id;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
