using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// The real Outpost.Server executable in a child process, on ports chosen by the OS, with its own data directory.
/// Its whole console output is kept, so tests can read it and <see cref="StopAsync"/> fails on any logged error.
/// </summary>
internal sealed partial class OutpostServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<(int Https, int Mqtt)> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool stopped;
    private TaskCompletionSource lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OutpostServer(Process process, string dataDirectory)
    {
        this.process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public int HttpsPort { get; private set; }

    public int MqttPort { get; private set; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Waits until the server has logged <paramref name="text"/> (log lines reach the console a moment after the event they report).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var next = Volatile.Read(ref lineArrived).Task;
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                Assert.Fail($"The server did not log \"{text}\" in time. Its output:\n{Output}");
            }

            try
            {
                await next.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // Checked once more above before failing.
            }
        }
    }

    public string BaseAddress => HttpsPort == 443 ? "https://localhost" : $"https://localhost:{HttpsPort}";

    public AdminCredentials Admin => JsonSerializer.Deserialize<AdminCredentials>(File.ReadAllText(Path.Combine(DataDirectory, "admin.json")))!;

    public string CaPemPath => Path.Combine(DataDirectory, "tls", "ca.pem");

    /// <summary>Starts a server on a fresh (or the given) data directory and waits for its ready line.</summary>
    public static Task<OutpostServer> StartAsync(string? dataDirectory = null, params string[] extraArguments) => StartAsync(dataDirectory, 0, extraArguments);

    /// <summary>
    /// Starts a server whose HTTPS listener is on <paramref name="httpsPort"/>: 443 for the official SDKs that reach
    /// HTTPS only there (DPS and hub service clients), 0 for any free port.
    /// </summary>
    public static async Task<OutpostServer> StartAsync(string? dataDirectory, int httpsPort, params string[] extraArguments)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("outpost-test-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerAssemblyPath());
        foreach (var argument in (string[])["--data-dir", dataDirectory, "--https-port", httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mqtt-port", "0", "--dns-suffix", "outpost.localhost", .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        var server = new OutpostServer(Process.Start(start)!, dataDirectory);
        server.process.OutputDataReceived += (_, line) => server.Append(line.Data);
        server.process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        _ = server.process.WaitForExitAsync().ContinueWith(_ => server.ready.TrySetException(
            new InvalidOperationException($"The server exited with code {server.process.ExitCode} before it was ready. Output:\n{server.Output}")), TaskScheduler.Default);

        try
        {
            (server.HttpsPort, server.MqttPort) = await server.ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The server did not log its ready line within {StartTimeout.TotalSeconds} s. Output:\n{server.Output}");
        }

        return server;
    }

    /// <summary>Stops the server with SIGTERM, as an operator's Ctrl+C or systemd would, and checks it shut down cleanly and logged no error.</summary>
    public async Task StopAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.True(process.ExitCode == 0, $"The server exited with code {process.ExitCode} after SIGTERM. Output:\n{Output}");
        var errors = Output.Split('\n').Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"The server logged errors:\n{string.Join('\n', errors)}");
    }

    /// <summary>Kills the server outright (SIGKILL), as a crash or power cut would: no shutdown code runs.</summary>
    public async Task CrashAsync()
    {
        stopped = true;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        Interlocked.Exchange(ref lineArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        var match = ReadyLine().Match(line);
        if (match.Success)
        {
            ready.TrySetResult((int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The server's build output, found from the repository root, with the same configuration as the tests.</summary>
    private static string ServerAssemblyPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(NodeConformance.RepositoryRoot(), "src", "Outpost.Server", "bin", configuration, "net10.0", "Outpost.Server.dll");
        Assert.True(File.Exists(path), $"The server is not built at {path}.");
        return path;
    }

    [GeneratedRegex(@"Outpost ready: HTTPS on port (\d+), MQTT on port (\d+)")]
    private static partial Regex ReadyLine();
}
