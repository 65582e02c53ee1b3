using System.Diagnostics;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Identity;

/// <summary>
/// The official <c>@azure/identity</c> package, unchanged, gets a management token from Outpost with
/// <c>ClientSecretCredential</c> and the management API accepts it. Runs <c>tests/conformance/identity-token.mjs</c>
/// under Node.js with <c>NODE_EXTRA_CA_CERTS</c> set to the server's trust anchor, as a user would.
/// </summary>
public sealed class AzureIdentityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ClientSecretCredentialGetsATokenTheManagementApiAccepts()
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "conformance", "identity-token.mjs");
        Assert.True(File.Exists(script), $"Missing {script}");
        var admin = fixture.Server.Admin;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(script)! };
        start.ArgumentList.Add(script);
        start.Environment["NODE_EXTRA_CA_CERTS"] = fixture.Server.CaPemPath;
        start.Environment["OUTPOST_AUTHORITY"] = fixture.Server.BaseAddress;
        start.Environment["AZURE_TENANT_ID"] = admin.TenantId;
        start.Environment["AZURE_CLIENT_ID"] = admin.ClientId;
        start.Environment["AZURE_CLIENT_SECRET"] = admin.ClientSecret;
        start.Environment["AZURE_SUBSCRIPTION_ID"] = admin.SubscriptionId;
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"identity-token.mjs failed ({node.ExitCode}):\n{output}\n{errors}");
        Assert.Contains($"subscription {admin.SubscriptionId} Enabled", output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Outpost.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Outpost.slnx) was not found above the test binaries.");
    }
}
