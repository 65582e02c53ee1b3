using System.Text.Json.Nodes;

namespace Outpost.Cli.Simulation;

/// <summary>What the simulated fleet has done so far; updated from every device at once.</summary>
internal sealed class SimulationStats
{
    private long provisioned;
    private long connected;
    private long messages;
    private long methods;
    private long twinUpdates;
    private long renewals;
    private long errors;

    public string? LastError { get; private set; }

    public void Provisioned() => Interlocked.Increment(ref provisioned);

    public void Connected() => Interlocked.Increment(ref connected);

    public void Disconnected() => Interlocked.Decrement(ref connected);

    public void MessageSent() => Interlocked.Increment(ref messages);

    public void MethodAnswered() => Interlocked.Increment(ref methods);

    public void TwinReported() => Interlocked.Increment(ref twinUpdates);

    public void Renewed() => Interlocked.Increment(ref renewals);

    public void Failed(string device, Exception exception)
    {
        Interlocked.Increment(ref errors);
        LastError = $"{device}: {exception.Message}";
    }

    public long Errors => Interlocked.Read(ref errors);

    public JsonObject Snapshot() => new()
    {
        ["provisioned"] = Interlocked.Read(ref provisioned),
        ["connected"] = Interlocked.Read(ref connected),
        ["messagesSent"] = Interlocked.Read(ref messages),
        ["methodsAnswered"] = Interlocked.Read(ref methods),
        ["twinUpdatesReported"] = Interlocked.Read(ref twinUpdates),
        ["certificatesRenewed"] = Interlocked.Read(ref renewals),
        ["errors"] = Interlocked.Read(ref errors),
        ["lastError"] = LastError,
    };
}
