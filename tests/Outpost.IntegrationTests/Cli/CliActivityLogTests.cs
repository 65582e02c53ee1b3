using System.Text.RegularExpressions;
using Outpost.IntegrationTests.Management;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Cli;

/// <summary><c>outpost monitor activity-log list</c> against a server with two entries per page, so the command must follow pages.</summary>
public sealed class CliActivityLogTests(ActivityLogFixture fixture) : IClassFixture<ActivityLogFixture>
{
    [Fact]
    public async Task ListsAGroupsOperationsAcrossPagesNewestFirst()
    {
        using var cli = new CliRunner(fixture.Server);
        await cli.LoginAsync();
        await cli.JsonAsync("group", "create", "-n", "cli-activity");
        await cli.JsonAsync("identity", "create", "-g", "cli-activity", "-n", "cli-activity-id");
        Assert.Equal(6, (await cli.RunAsync("adr", "ns", "create", "-g", "cli-activity", "-n", "Bad_Name!")).ExitCode);

        var events = (await cli.JsonAsync("monitor", "activity-log", "list", "-g", "cli-activity"))!.AsArray();
        Assert.Equal(
            ["Microsoft.DeviceRegistry/namespaces/write", "Microsoft.ManagedIdentity/userAssignedIdentities/write", "Microsoft.Resources/subscriptions/resourceGroups/write"],
            events.Select(entry => entry!["operationName"]!["value"]!.GetValue<string>()));
        Assert.Equal("Failed", events[0]!["status"]!["value"]!.GetValue<string>());

        Assert.Single((await cli.JsonAsync("monitor", "activity-log", "list", "-g", "cli-activity", "--max-events", "1"))!.AsArray());
        var table = await cli.RunAsync("monitor", "activity-log", "list", "-g", "cli-activity", "-o", "table");
        Assert.Matches(new Regex(@"Microsoft\.ManagedIdentity/userAssignedIdentities/write\s+Succeeded\s+Created"), table.Output);

        var badOffset = await cli.RunAsync("monitor", "activity-log", "list", "--offset", "yesterday");
        Assert.Equal(2, badOffset.ExitCode);
        Assert.Contains("--offset 'yesterday'", badOffset.Errors, StringComparison.Ordinal);
    }
}
