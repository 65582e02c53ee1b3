using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

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

    private MosquittoProcess(Process process, string directory, int port, X509Certificate2 anchor)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
        TrustAnchor = anchor;
    }

    public int Port { get; }

    public X509Certificate2 TrustAnchor { get; }

    public static async Task<MosquittoProcess> StartAsync()
    {
        var executable = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Mosquitto is not installed; the comparison needs Debian's package: apt-get install -y mosquitto");
        var directory = Directory.CreateTempSubdirectory("outpost-mosquitto-").FullName;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=benchmark CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        using var serverCertificate = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(Path.Combine(directory, "server.pem"), serverCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());

        var port = FreePort();
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
        return new MosquittoProcess(process, directory, port, ca);
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
        TrustAnchor.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
