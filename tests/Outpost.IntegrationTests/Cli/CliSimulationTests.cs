using System.Text.Json.Nodes;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Cli;

/// <summary><c>outpost demo</c> on a fresh server, and the device simulator answering methods and twins and renewing certificates.</summary>
public sealed class CliSimulationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task TheDemoLeavesAWorkingTopologyWithSimulatedDevicesAndRunsAgain()
    {
        using var cli = new CliRunner(fixture.Server);
        await cli.LoginAsync();
        var (exitCode, output, errors) = await cli.RunAsync("demo", "--devices", "2", "--messages", "3");
        Assert.True(exitCode == 0, errors + output);
        var demo = JsonNode.Parse(output)!;
        Assert.Equal("demo-hub.outpost.localhost", demo["hub"]!.GetValue<string>());
        Assert.Equal(2, demo["simulation"]!["provisioned"]!.GetValue<int>());
        Assert.Equal(6, demo["simulation"]!["messagesSent"]!.GetValue<int>());
        Assert.Contains("✓ outpost adr ns credential sync", errors, StringComparison.Ordinal);

        var devices = (await cli.JsonAsync("iot", "hub", "device-identity", "list", "-n", "demo-hub"))!.AsArray();
        Assert.Equal(["demo-device-1", "demo-device-2"], devices.Select(device => device!["deviceId"]!.GetValue<string>()).Order());
        Assert.All(devices, device => Assert.Equal("certificateAuthority", device!["authentication"]!["type"]!.GetValue<string>()));
        var monitored = await cli.RunAsync("iot", "hub", "monitor-events", "-n", "demo-hub", "-d", "demo-device-2", "--from", "earliest", "--max-events", "3", "--timeout", "30");
        Assert.Equal(3, monitored.Output.Split("\"origin\": \"demo-device-2\"").Length - 1);

        var again = await cli.RunAsync("demo", "--devices", "1", "--messages", "1");
        Assert.True(again.ExitCode == 0, again.Errors);
        Assert.Contains("simulating again", again.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulatedDevicesAnswerMethodsReportDesiredPropertiesAndRenewCertificates()
    {
        using var cli = new CliRunner(fixture.Server);
        await cli.LoginAsync();
        var demo = await cli.RunAsync("demo", "--prefix", "sim", "--devices", "1", "--messages", "1");
        Assert.True(demo.ExitCode == 0, demo.Errors);

        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var simulation = cli.RunAsync(interrupt.Token, "iot", "device", "simulate", "-g", "sim-rg", "--dps-name", "sim-dps", "--eid", "fleet", "--count", "1",
            "--prefix", "renewing", "--renew-within-days", "1000", "--duration", "0", "--rate", "2");

        // Once the device is online (it renews first, then reconnects), a method reaches it and a desired change comes back reported.
        JsonNode? answer = null;
        while (answer is null && !simulation.IsCompleted)
        {
            var call = await cli.RunAsync("iot", "hub", "invoke-device-method", "-n", "sim-hub", "-d", "renewing-1", "--mn", "ping", "--mp", """{"n":1}""", "--timeout", "5");
            answer = call.ExitCode == 0 ? JsonNode.Parse(call.Output) : null;
        }

        Assert.NotNull(answer);
        Assert.Equal(200, answer["status"]!.GetValue<int>());
        Assert.Equal("renewing-1", answer["payload"]!["handledBy"]!.GetValue<string>());
        await cli.JsonAsync("iot", "hub", "device-twin", "update", "-n", "sim-hub", "-d", "renewing-1", "--desired", """{"interval":7}""");
        JsonNode? reported = null;
        for (var attempt = 0; attempt < 50 && reported?.GetValue<int>() != 7; attempt++)
        {
            reported = (await cli.JsonAsync("iot", "hub", "device-twin", "show", "-n", "sim-hub", "-d", "renewing-1"))!["properties"]!["reported"]!["interval"];
        }

        Assert.Equal(7, reported?.GetValue<int>());
        await interrupt.CancelAsync();
        var (exitCode, output, errors) = await simulation;
        Assert.True(exitCode == 0, errors + output);
        var summary = JsonNode.Parse(output)!;
        Assert.Equal(1, summary["certificatesRenewed"]!.GetValue<int>());
        Assert.True(summary["methodsAnswered"]!.GetValue<int>() >= 1, output);
    }

    [Fact]
    public async Task TheSimulatorOnboardsWithX509BootstrapCertificatesToo()
    {
        using var cli = new CliRunner(fixture.Server);
        await cli.LoginAsync();
        var demo = await cli.RunAsync("demo", "--prefix", "x509", "--devices", "1", "--messages", "1");
        Assert.True(demo.ExitCode == 0, demo.Errors);
        using var pki = new DeviceCertificates("cli-onboarding");
        var directory = Directory.CreateTempSubdirectory("outpost-onboarding-").FullName;
        var certificate = Path.Combine(directory, "signing.pem");
        var key = Path.Combine(directory, "signing.key");
        await File.WriteAllTextAsync(certificate, pki.Intermediate.ExportCertificatePem());
        await File.WriteAllTextAsync(key, DeviceCertificates.KeyPem(pki.Intermediate));
        var group = (await cli.JsonAsync("iot", "dps", "enrollment-group", "create", "-g", "x509-rg", "--dps-name", "x509-dps", "--eid", "x509-fleet",
            "--certificate-path", certificate, "--credential-policy", "default"))!;
        Assert.Equal("x509", group["attestation"]!["type"]!.GetValue<string>());

        var (exitCode, output, errors) = await cli.RunAsync("iot", "device", "simulate", "-g", "x509-rg", "--dps-name", "x509-dps", "--eid", "x509-fleet",
            "--onboarding-cert", certificate, "--onboarding-key", key, "--count", "2", "--messages", "2", "--rate", "10", "--prefix", "bootstrap");
        Directory.Delete(directory, recursive: true);
        Assert.True(exitCode == 0, errors + output);
        var summary = JsonNode.Parse(output)!;
        Assert.Equal(2, summary["provisioned"]!.GetValue<int>());
        Assert.Equal(4, summary["messagesSent"]!.GetValue<int>());
        var device = (await cli.JsonAsync("iot", "hub", "device-identity", "show", "-n", "x509-hub", "-d", "bootstrap-1"))!;
        Assert.Equal("certificateAuthority", device["authentication"]!["type"]!.GetValue<string>());
    }
}
