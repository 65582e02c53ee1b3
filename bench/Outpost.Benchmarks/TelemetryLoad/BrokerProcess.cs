using System.Diagnostics;

namespace Outpost.Benchmarks.TelemetryLoad;

/// <summary>A comparison broker in a child process: the loopback port it listens on, and a working directory that goes with it.</summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private BrokerProcess(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts the broker and returns once it prints <paramref name="readyText"/> (on either stream).</summary>
    public static async Task<BrokerProcess> StartAsync(ProcessStartInfo start, string directory, int port, string readyText)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var broker = new BrokerProcess(Process.Start(start)!, directory, port);
        var ready = new TaskCompletionSource();
        void Watch(object sender, DataReceivedEventArgs line)
        {
            if (line.Data?.Contains(readyText, StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        }

        broker.process.OutputDataReceived += Watch;
        broker.process.ErrorDataReceived += Watch;
        broker.process.BeginOutputReadLine();
        broker.process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

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
