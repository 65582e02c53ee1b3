using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Outpost.Benchmarks.Common;

/// <summary>The Release build of Outpost.Server in a child process on free ports, with a fresh data directory.</summary>
internal sealed partial class OutpostProcess : IAsyncDisposable
{
    private readonly Process process;

    private OutpostProcess(Process process, string dataDirectory, int httpsPort, int mqttPort)
    {
        this.process = process;
        DataDirectory = dataDirectory;
        HttpsPort = httpsPort;
        MqttPort = mqttPort;
    }

    public string DataDirectory { get; }

    public int HttpsPort { get; }

    public int MqttPort { get; }

    /// <summary>The server process's id, for reading its memory use.</summary>
    public int ProcessId => process.Id;

    public JsonObject Admin => JsonNode.Parse(File.ReadAllText(Path.Combine(DataDirectory, "admin.json")))!.AsObject();

    /// <param name="settings">Further server settings, e.g. <c>--Outpost:IotHub:Throttling:Enabled=false</c>.</param>
    public static async Task<OutpostProcess> StartAsync(params string[] settings)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Outpost.slnx")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("Run from inside the repository.");
        }

        var server = Path.Combine(root, "src", "Outpost.Server", "bin", "Release", "net10.0", "Outpost.Server.dll");
        var dataDirectory = Directory.CreateTempSubdirectory("outpost-load-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[server, "--data-dir", dataDirectory, "--https-port", "0", "--mqtt-port", "0", "--dns-suffix", "outpost.localhost", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Outpost.Server.Hosting=Information", .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<(int, int)>();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && Ready().Match(line.Data) is { Success: true } match)
            {
                ready.TrySetResult((int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        };
        process.ErrorDataReceived += (_, line) => Console.Error.WriteLine(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var (https, mqtt) = await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new OutpostProcess(process, dataDirectory, https, mqtt);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    [GeneratedRegex(@"Outpost ready: HTTPS on port (\d+), MQTT on port (\d+)")]
    private static partial Regex Ready();
}
