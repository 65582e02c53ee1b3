using System.CommandLine;
using Outpost.Cli.Output;
using Outpost.Cli.Session;

namespace Outpost.Cli;

/// <summary>What a command's action works with: its parsed options, the output, the environment and the server.</summary>
internal sealed class CliContext(ParseResult parse, OutputFormat output, TextWriter errors, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellation)
    : IDisposable
{
    private ServerConnection? connection;

    public OutputFormat Output => output;

    public TextWriter Errors => errors;

    public IReadOnlyDictionary<string, string?> Environment => environment;

    public CancellationToken Cancellation => cancellation;

    /// <summary>The signed-in server; loading the profile fails with "not signed in" when there is none.</summary>
    public ServerConnection Server => connection ??= new ServerConnection(CliProfile.Load(environment));

    public T Get<T>(Option<T> option) => parse.GetValue(option)!;

    public void Dispose() => connection?.Dispose();
}
