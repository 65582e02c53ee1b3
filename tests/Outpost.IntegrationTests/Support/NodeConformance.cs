using System.Diagnostics;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// Runs a script from <c>tests/conformance</c> under Node.js against a running server, with the admin's credentials
/// and <c>NODE_EXTRA_CA_CERTS</c> set to the server's trust anchor, exactly as a user would run their own code.
/// </summary>
internal static class NodeConformance
{
    public static async Task<string> RunAsync(OutpostServer server, string scriptName, IDictionary<string, string>? environment = null)
    {
        var directory = Path.Combine(RepositoryRoot(), "tests", "conformance");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules")), $"Run `npm ci --prefix tests/conformance` first (test.sh does): {directory}/node_modules is missing.");
        var admin = server.Admin;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(scriptName);
        start.Environment["NODE_EXTRA_CA_CERTS"] = server.CaPemPath;
        start.Environment["OUTPOST_AUTHORITY"] = server.BaseAddress;
        start.Environment["AZURE_TENANT_ID"] = admin.TenantId;
        start.Environment["AZURE_CLIENT_ID"] = admin.ClientId;
        start.Environment["AZURE_CLIENT_SECRET"] = admin.ClientSecret;
        start.Environment["AZURE_SUBSCRIPTION_ID"] = admin.SubscriptionId;
        // Host names under the server's DNS suffix resolve to loopback inside Node, as a hosts entry would make them.
        start.Environment["NODE_OPTIONS"] = $"--require {Path.Combine(directory, "outpost-resolver.cjs")}";
        start.Environment["OUTPOST_DNS_SUFFIX"] = "outpost.localhost";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
            Assert.Fail($"{scriptName} did not finish within 90 s and was stopped. Output so far:\n{await output}\n{await errors}");
        }

        Assert.True(node.ExitCode == 0, $"{scriptName} failed with exit code {node.ExitCode}:\n{await output}\n{await errors}");
        return await output;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Outpost.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Outpost.slnx) was not found above the test binaries.");
    }
}
