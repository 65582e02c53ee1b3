using System.Text.Json.Nodes;
using Outpost.Cli;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// Runs the <c>outpost</c> command line in this process, as a user would type it, with its own profile directory, and
/// keeps what it printed.
/// </summary>
internal sealed class CliRunner(OutpostServer server) : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("outpost-cli-").FullName;

    public Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs a command that may be interrupted, as Ctrl-C interrupts it.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> RunAsync(CancellationToken interrupt, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, output, errors, new Dictionary<string, string?> { ["OUTPOST_CLI_HOME"] = home }, interrupt);
        return (exitCode, output.ToString(), errors.ToString());
    }

    /// <summary>Runs a command that must succeed and returns its JSON output.</summary>
    public async Task<JsonNode?> JsonAsync(params string[] args)
    {
        var (exitCode, output, errors) = await RunAsync(args);
        Assert.True(exitCode == 0, $"outpost {string.Join(' ', args)} exited {exitCode}:\n{errors}\n{output}");
        return output.Length == 0 ? null : JsonNode.Parse(output);
    }

    public Task<JsonNode?> LoginAsync() =>
        JsonAsync("login", "--server", $"https://localhost:{server.HttpsPort}", "--data-dir", server.DataDirectory, "--route-hosts");

    public void Dispose() => Directory.Delete(home, recursive: true);
}
