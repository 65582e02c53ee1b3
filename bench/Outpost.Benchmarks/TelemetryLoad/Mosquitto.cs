using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Outpost.Benchmarks.Common;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>
/// Debian's Mosquitto 2 with a TLS listener on a free loopback port, as a comparison broker of the telemetry benchmark.
/// Defaults otherwise (in-memory only: it writes nothing to disk); it stays the user that starts it, since its private
/// key lives in a directory only that user may read.
/// </summary>
internal static class Mosquitto
{
    /// <param name="tls">The listener's certificate; clients trust its authority.</param>
    public static async Task<BrokerProcess> StartAsync(BenchmarkTls tls)
    {
        var executable = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Mosquitto is not installed; the comparison needs Debian's package: apt-get install -y mosquitto");
        var directory = Directory.CreateTempSubdirectory("outpost-mosquitto-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "server.pem"), tls.Server.ExportCertificatePem());
        using (var key = tls.Server.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "server.key"), key.ExportPkcs8PrivateKeyPem());
        }

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
        var start = new ProcessStartInfo(executable);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(directory, "mosquitto.conf"));
        return await BrokerProcess.StartAsync(start, directory, port, "running");
    }
}
