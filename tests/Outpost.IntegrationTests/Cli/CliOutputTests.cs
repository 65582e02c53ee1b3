using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Cli;

/// <summary>The command line's table and JSON forms, its refusals (the server's code and message, a non-zero exit) and its help.</summary>
public sealed class CliOutputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ShowAndListPrintJsonOrATable()
    {
        using var cli = new CliRunner(fixture.Server);
        await cli.LoginAsync();
        await cli.JsonAsync("group", "create", "-n", "output-rg");
        await cli.JsonAsync("adr", "ns", "create", "-g", "output-rg", "-n", "output-ns");
        await cli.JsonAsync("iot", "hub", "create", "-g", "output-rg", "-n", "output-hub", "--partition-count", "2");

        var json = (await cli.JsonAsync("iot", "hub", "show", "-g", "output-rg", "-n", "output-hub"))!;
        Assert.Equal("output-hub.outpost.localhost", json["properties"]!["hostName"]!.GetValue<string>());
        Assert.Equal(2, json["properties"]!["eventHubEndpoints"]!["events"]!["partitionCount"]!.GetValue<int>());

        var table = await cli.RunAsync("iot", "hub", "list", "-g", "output-rg", "-o", "table");
        Assert.Equal(0, table.ExitCode);
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^Name\s+Location\s+Sku\s+HostName\s+State$", lines[0]);
        Assert.Contains(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^output-hub\s+eastus\s+S1\s+output-hub\.outpost\.localhost\s+Active$"));

        var policies = await cli.RunAsync("adr", "ns", "policy", "list", "-g", "output-rg", "--ns", "output-ns", "-o", "table");
        Assert.Matches(@"default\s+\d+\s+ECC", policies.Output);
        var namespaces = (await cli.JsonAsync("adr", "ns", "list", "-g", "output-rg"))!;
        Assert.Equal("output-ns", namespaces["value"]!.AsArray().Single()!["name"]!.GetValue<string>());

        var created = (await cli.JsonAsync("iot", "hub", "device-identity", "create", "-n", "output-hub", "-d", "thermostat-1"))!;
        Assert.Equal("sas", created["authentication"]!["type"]!.GetValue<string>());
        var devices = await cli.RunAsync("iot", "hub", "device-identity", "list", "-n", "output-hub", "-g", "output-rg", "-o", "table");
        Assert.Matches(@"thermostat-1\s+enabled\s+Disconnected\s+sas\s+0", devices.Output);
        var connection = (await cli.JsonAsync("iot", "hub", "connection-string", "show", "-g", "output-rg", "--hub-name", "output-hub"))!;
        Assert.StartsWith("HostName=output-hub.outpost.localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=", connection["connectionString"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusalsPrintTheServersCodeAndMessageAndExitNonZero()
    {
        using var cli = new CliRunner(fixture.Server);
        var notSignedIn = await cli.RunAsync("group", "list");
        Assert.Equal(7, notSignedIn.ExitCode);
        Assert.Contains("ERROR: (NotSignedIn)", notSignedIn.Errors, StringComparison.Ordinal);

        await cli.LoginAsync();
        await cli.JsonAsync("group", "create", "-n", "refusal-rg");
        var badName = await cli.RunAsync("adr", "ns", "create", "-g", "refusal-rg", "-n", "Bad_Name!");
        Assert.Equal(6, badName.ExitCode);
        Assert.StartsWith("ERROR: (InvalidResourceName) ", badName.Errors, StringComparison.Ordinal);
        Assert.Empty(badName.Output);

        var missing = await cli.RunAsync("iot", "hub", "show", "-g", "refusal-rg", "-n", "no-such-hub");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("ERROR: (ResourceNotFound)", missing.Errors, StringComparison.Ordinal);

        var hubMissing = await cli.RunAsync("iot", "hub", "device-identity", "list", "-n", "no-such-hub");
        Assert.Equal(3, hubMissing.ExitCode);
        Assert.Contains("ERROR: (IotHubNotFound)", hubMissing.Errors, StringComparison.Ordinal);

        var usage = await cli.RunAsync("iot", "hub", "create", "-g", "refusal-rg");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--name", usage.Errors, StringComparison.Ordinal);

        var badFormat = await cli.RunAsync("group", "list", "-o", "yaml");
        Assert.Equal(2, badFormat.ExitCode);
    }

    [Fact]
    public async Task EveryCommandHasHelp()
    {
        using var cli = new CliRunner(fixture.Server);
        foreach (var command in (string[][])[[], ["iot", "hub"], ["iot", "hub", "monitor-events"], ["adr", "ns", "policy", "create"], ["role", "assignment", "create"], ["login"]])
        {
            var (exitCode, output, _) = await cli.RunAsync([.. command, "--help"]);
            Assert.Equal(0, exitCode);
            Assert.Contains("Usage:", output, StringComparison.Ordinal);
        }
    }
}
