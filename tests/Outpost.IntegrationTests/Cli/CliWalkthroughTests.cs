using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Cli;

/// <summary>
/// The walkthrough through the <c>outpost</c> command line against a real server, step by step as a user types it,
/// ending with <c>monitor-events</c> showing the telemetry of a simulated device that onboarded through DPS with a CSR.
/// </summary>
public sealed class CliWalkthroughTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string AzureIotHubPrincipal = "89d10474-74af-4874-99a7-c23c2f643083";

    [Fact]
    public async Task TheWalkthroughRunsThroughTheCommandLineUpToMonitoredTelemetry()
    {
        using var cli = new CliRunner(fixture.Server);
        await cli.LoginAsync();
        await cli.JsonAsync("group", "create", "-n", "cli-rg", "-l", "eastus");
        var ns = (await cli.JsonAsync("adr", "ns", "create", "-g", "cli-rg", "-n", "cli-namespace"))!;
        var nsId = ns["id"]!.GetValue<string>();
        var nsPrincipal = ns["identity"]!["principalId"]!.GetValue<string>();
        var identity = (await cli.JsonAsync("identity", "create", "-g", "cli-rg", "-n", "cli-identity"))!;
        var identityId = identity["id"]!.GetValue<string>();
        var identityPrincipal = identity["properties"]!["principalId"]!.GetValue<string>();
        await cli.JsonAsync("role", "assignment", "create", "--assignee", identityPrincipal, "--role", "Azure Device Registry Onboarding", "--scope", nsId);
        await cli.JsonAsync("role", "assignment", "create", "--assignee", identityPrincipal, "--role", "Azure Device Registry Contributor", "--scope", nsId);
        var group = (await cli.JsonAsync("group", "show", "-n", "cli-rg"))!["id"]!.GetValue<string>();
        await cli.JsonAsync("role", "assignment", "create", "--assignee", AzureIotHubPrincipal, "--role", "Contributor", "--scope", group);
        var policy = (await cli.JsonAsync("adr", "ns", "policy", "create", "-g", "cli-rg", "--ns", "cli-namespace", "-n", "custom-policy", "--cert-validity-days", "45"))!;
        Assert.Equal(45, policy["properties"]!["certificate"]!["leafCertificateConfiguration"]!["validityPeriodInDays"]!.GetValue<int>());

        var hub = (await cli.JsonAsync("iot", "hub", "create", "-g", "cli-rg", "-n", "cli-hub", "--sku", "GEN2", "--ns-resource-id", nsId, "--ns-identity-id", identityId))!;
        var hubId = hub["id"]!.GetValue<string>();
        await cli.JsonAsync("role", "assignment", "create", "--assignee", nsPrincipal, "--role", "Contributor", "--scope", hubId);
        await cli.JsonAsync("role", "assignment", "create", "--assignee", nsPrincipal, "--role", "IoT Hub Registry Contributor", "--scope", hubId);
        var assignments = (await cli.JsonAsync("role", "assignment", "list", "--scope", hubId, "--assignee", nsPrincipal))!.AsArray();
        Assert.Equal(2, assignments.Count);

        var dps = (await cli.JsonAsync("iot", "dps", "create", "-g", "cli-rg", "-n", "cli-dps", "--ns-resource-id", nsId, "--ns-identity-id", identityId))!;
        var links = (await cli.JsonAsync("iot", "dps", "linked-hub", "create", "-g", "cli-rg", "--dps-name", "cli-dps", "--hub-name", "cli-hub"))!.AsArray();
        Assert.Equal("cli-hub.outpost.localhost", links.Single()!["name"]!.GetValue<string>());
        await cli.JsonAsync("adr", "ns", "credential", "sync", "-g", "cli-rg", "--ns", "cli-namespace");
        var fleet = (await cli.JsonAsync("iot", "dps", "enrollment-group", "create", "-g", "cli-rg", "--dps-name", "cli-dps", "--eid", "fleet", "--credential-policy", "default"))!;
        Assert.Equal("default", fleet["credentialPolicyName"]!.GetValue<string>());

        // A simulated device onboards through DPS with a CSR, connects with its issued certificate and sends telemetry.
        var simulation = (await cli.JsonAsync("iot", "device", "simulate", "-g", "cli-rg", "--dps-name", "cli-dps", "--eid", "fleet", "--count", "1", "--messages", "2",
            "--prefix", "cli-sensor", "--rate", "10"))!;
        Assert.Equal(2, simulation["messagesSent"]!.GetValue<int>());
        Assert.Equal(0, simulation["errors"]!.GetValue<int>());

        var monitored = await cli.RunAsync("iot", "hub", "monitor-events", "-n", "cli-hub", "-d", "cli-sensor-1", "--from", "earliest", "--max-events", "1", "--timeout", "30",
            "--props", "all");
        Assert.True(monitored.ExitCode == 0, monitored.Errors);
        var monitoredEvent = System.Text.Json.Nodes.JsonNode.Parse(monitored.Output)!["event"]!;
        Assert.Equal("cli-sensor-1", monitoredEvent["origin"]!.GetValue<string>());
        Assert.Equal(1, monitoredEvent["payload"]!["sequence"]!.GetValue<int>());
        Assert.InRange(monitoredEvent["payload"]!["temperature"]!.GetValue<double>(), 20, 25);
        Assert.Equal("application/json", monitoredEvent["properties"]!["system"]!["content-type"]!.GetValue<string>());
        Assert.Equal("cli-sensor-1", monitoredEvent["properties"]!["system"]!["iothub-connection-device-id"]!.GetValue<string>());

        // The device is in the hub's registry with CA authentication; its twin takes a desired patch.
        var devices = await cli.RunAsync("iot", "hub", "device-identity", "list", "-n", "cli-hub", "-o", "table");
        Assert.Contains("cli-sensor-1", devices.Output, StringComparison.Ordinal);
        Assert.Contains("certificateAuthority", devices.Output, StringComparison.Ordinal);
        var twin = (await cli.JsonAsync("iot", "hub", "device-twin", "update", "-n", "cli-hub", "-d", "cli-sensor-1", "--desired", """{"interval":30}""", "--tags", """{"site":"north"}"""))!;
        Assert.Equal(30, twin["properties"]!["desired"]!["interval"]!.GetValue<int>());
        var sent = (await cli.JsonAsync("iot", "hub", "c2d-message", "send", "-n", "cli-hub", "-d", "cli-sensor-1", "--data", "hello", "--props", "kind=greeting"))!;
        Assert.Equal("cli-sensor-1", sent["deviceId"]!.GetValue<string>());
        var shown = (await cli.JsonAsync("iot", "hub", "device-identity", "show", "-n", "cli-hub", "-d", "cli-sensor-1"))!;
        Assert.Equal(1, shown["cloudToDeviceMessageCount"]!.GetValue<int>());
        var offline = await cli.RunAsync("iot", "hub", "invoke-device-method", "-n", "cli-hub", "-d", "cli-sensor-1", "--mn", "reboot", "--timeout", "5");
        Assert.Equal(3, offline.ExitCode);
        Assert.Contains("ERROR: (DeviceNotOnline)", offline.Errors, StringComparison.Ordinal);
    }
}
