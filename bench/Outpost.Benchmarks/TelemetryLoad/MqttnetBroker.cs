using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.AspNetCore;
using MQTTnet.Server;
using Outpost.Benchmarks.Common;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>
/// The MQTT library Outpost is built on, alone: MQTTnet hosted in Kestrel with Kestrel's TLS, as Outpost hosts it (a
/// client certificate asked for, not required), every publish acknowledged from memory and forwarded nowhere, with no
/// authentication, storage or other application code. Its throughput under the telemetry load is the most Outpost's
/// connection stack can reach on the machine, whatever Outpost itself does per message. It runs in a child process
/// (this benchmark's own executable, <c>mqttnet-broker</c>), so it shares nothing with the load generator.
/// </summary>
internal static class MqttnetBroker
{
    public static async Task<BrokerProcess> StartAsync(BenchmarkTls tls)
    {
        var directory = Directory.CreateTempSubdirectory("outpost-mqttnet-").FullName;
        var certificate = Path.Combine(directory, "server.pfx");
        await File.WriteAllBytesAsync(certificate, tls.Server.Export(X509ContentType.Pfx, string.Empty));
        var port = LoopbackPort.Free();
        // Run as its own executable (dotnet run) or as a library of the dotnet host (dotnet Outpost.Benchmarks.dll).
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(MqttnetBroker).Assembly.Location);
        }

        foreach (var argument in (string[])["mqttnet-broker", certificate, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        return await BrokerProcess.StartAsync(start, directory, port, "listening");
    }

    /// <summary>The child process: <c>mqttnet-broker {pfx} {port}</c> listens on the loopback port and says so.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(args[0], string.Empty);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), listen =>
        {
            listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (_, _, _) => true,
            });
            listen.UseMqtt();
        }));
        builder.Services.AddHostedMqttServer(options => options.WithoutDefaultEndpoint());
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddConnections();
        await using var app = builder.Build();
        app.UseMqttServer(server => server.InterceptingPublishAsync += arguments =>
        {
            arguments.ProcessPublish = false;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        Console.WriteLine("listening");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
