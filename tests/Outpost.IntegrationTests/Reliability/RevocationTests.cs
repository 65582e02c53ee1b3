using System.Diagnostics;
using System.Net;
using MQTTnet;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Reliability;

/// <summary>
/// ADR device revocation reaching live sessions: a device whose certificates are revoked while it is connected is
/// dropped within a second and cannot reconnect with them; other devices keep working; without <c>disable</c> the
/// device may onboard again, with it it may not connect at all.
/// </summary>
public sealed class RevocationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Api = "2026-03-01-preview";

    [Fact]
    public async Task ARevokedDeviceIsDroppedWithinASecondAndOthersKeepWorking()
    {
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, "revoke");
        var (doomedCertificate, issuing) = await setup.RegisterAsync(fixture.Server, "doomed-device");
        var (steadyCertificate, _) = await setup.RegisterAsync(fixture.Server, "steady-device");
        using (issuing)
        using (doomedCertificate)
        using (steadyCertificate)
        {
            var (doomed, doomedResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "doomed-device", certificate: doomedCertificate);
            var (steady, steadyResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "steady-device", certificate: steadyCertificate);
            await using (doomed)
            await using (steady)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, doomedResult);
                Assert.Equal(MqttClientConnectResultCode.Success, steadyResult);

                var clock = Stopwatch.StartNew();
                var revoked = await fixture.Client.PostAsync($"{setup.NamespacePath}/devices/doomed-device/revoke", new { disable = false }, Api);
                Assert.True(revoked.Status == HttpStatusCode.Accepted, revoked.ToString());
                await doomed.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(1));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The revoked device was dropped after {clock.Elapsed.TotalMilliseconds:F0} ms.");

                await steady.PublishAsync("devices/steady-device/messages/events/", "still here");
                Assert.True(steady.IsConnected);
            }

            var (again, againResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "doomed-device", certificate: doomedCertificate);
            await using (again)
            {
                Assert.NotEqual(MqttClientConnectResultCode.Success, againResult);
            }

            await fixture.Server.WaitForOutputAsync($"the certificate of 'doomed-device' (serial {doomedCertificate.SerialNumber}) was revoked");
        }

        // Without disable, the device onboards again with a new key and CSR and connects with the new certificate.
        var (renewed, _) = await setup.RegisterAsync(fixture.Server, "doomed-device");
        using (renewed)
        {
            var (back, backResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "doomed-device", certificate: renewed);
            await using (back)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, backResult);
            }
        }
    }

    [Fact]
    public async Task RevokingWithDisableKeepsTheDeviceOut()
    {
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, "revoke-disable");
        var (certificate, issuing) = await setup.RegisterAsync(fixture.Server, "banned-device");
        using (issuing)
        using (certificate)
        {
            var revoked = await fixture.Client.PostAsync($"{setup.NamespacePath}/devices/banned-device/revoke", new { disable = true }, Api);
            Assert.True(revoked.Status == HttpStatusCode.Accepted, revoked.ToString());
            Assert.Equal("Succeeded", (await fixture.Client.PollAsync(revoked)).Body!["status"]!.GetValue<string>());

            // Its hub identity is disabled, so not even a certificate the hub would otherwise accept gets it in.
            var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "banned-device", certificate: certificate);
            await using (device)
            {
                Assert.NotEqual(MqttClientConnectResultCode.Success, result);
            }

            await fixture.Server.WaitForOutputAsync("Hub device banned-device refused: device 'banned-device' is disabled");
        }

        // DPS refuses to onboard it again.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => setup.RegisterAsync(fixture.Server, "banned-device"));
        Assert.Contains("disabled in its Device Registry namespace", refused.Message, StringComparison.Ordinal);

        var missing = await fixture.Client.PostAsync($"{setup.NamespacePath}/devices/never-onboarded/revoke", new { disable = false }, Api);
        Assert.True(missing.Status == HttpStatusCode.NotFound, missing.ToString());
    }

    [Fact]
    public async Task RevokingAPolicysIssuerDropsItsDevicesAndLeavesOtherPoliciesAlone()
    {
        const string Group = "revoke-issuer";
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, Group);
        await fixture.Client.PollAsync(await fixture.Client.PutAsync(fixture.Client.PolicyPath(Group, $"{Group}-ns", "other-policy"),
            new { properties = new { certificate = new { leafCertificateConfiguration = new { validityPeriodInDays = 30 } } } }));
        await fixture.Client.PollAsync(await fixture.Client.PostAsync($"{setup.NamespacePath}/credentials/default/synchronize", new { }));
        using var cli = new CliRunner(fixture.Server);
        await cli.LoginAsync();
        var other = (await cli.JsonAsync("iot", "dps", "enrollment-group", "create", "-g", Group, "--dps-name", $"{Group}-dps", "--eid", "other-fleet",
            "--credential-policy", "other-policy"))!;
        var otherSetup = setup with { GroupKey = other["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>() };

        var (defaultCertificate, oldIssuer) = await setup.RegisterAsync(fixture.Server, "default-device");
        var (otherCertificate, otherIssuer) = await otherSetup.RegisterAsync(fixture.Server, "other-device");
        var oldIssuerThumbprint = oldIssuer.Thumbprint;
        using (oldIssuer)
        using (otherIssuer)
        using (defaultCertificate)
        using (otherCertificate)
        {
            var (defaultDevice, defaultResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "default-device", certificate: defaultCertificate);
            var (otherDevice, otherResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "other-device", certificate: otherCertificate);
            await using (defaultDevice)
            await using (otherDevice)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, defaultResult);
                Assert.Equal(MqttClientConnectResultCode.Success, otherResult);

                var clock = Stopwatch.StartNew();
                var revoked = await fixture.Client.PostAsync($"{fixture.Client.PolicyPath(Group, $"{Group}-ns", "default")}/revokeIssuer", new { }, Api);
                Assert.True(revoked.Status == HttpStatusCode.Accepted, revoked.ToString());
                await defaultDevice.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(1));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The device of the revoked issuer was dropped after {clock.Elapsed.TotalMilliseconds:F0} ms.");

                await otherDevice.PublishAsync("devices/other-device/messages/events/", "unaffected");
                Assert.True(otherDevice.IsConnected);
            }

            var (stale, staleResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "default-device", certificate: defaultCertificate);
            await using (stale)
            {
                Assert.NotEqual(MqttClientConnectResultCode.Success, staleResult);
            }
        }

        // A new CSR gets a certificate from the new issuing CA, which the hub already trusts.
        var (fresh, newIssuer) = await setup.RegisterAsync(fixture.Server, "default-device");
        using (newIssuer)
        using (fresh)
        {
            Assert.NotEqual(oldIssuerThumbprint, newIssuer.Thumbprint);
            var (back, backResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "default-device", certificate: fresh);
            await using (back)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, backResult);
            }
        }
    }

    [Fact]
    public async Task DeletingAPolicyTakesItsCaOutOfTheHubAndDropsItsDevices()
    {
        const string Group = "revoke-delete";
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, Group);
        var (certificate, issuer) = await setup.RegisterAsync(fixture.Server, "orphan-device");
        using (issuer)
        using (certificate)
        {
            var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "orphan-device", certificate: certificate);
            await using (device)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                var clock = Stopwatch.StartNew();
                var deleted = await fixture.Client.DeleteAsync(fixture.Client.PolicyPath(Group, $"{Group}-ns", "default"));
                Assert.True(deleted.Status == HttpStatusCode.Accepted, deleted.ToString());
                await device.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(1));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The device of the deleted policy was dropped after {clock.Elapsed.TotalMilliseconds:F0} ms.");
            }

            var certificates = (await fixture.Client.GetAsync(setup.Hub.HubPath + "/certificates")).Body!["value"]!.AsArray();
            Assert.DoesNotContain(certificates, synced => synced!["name"]!.GetValue<string>() == "default");
            var (again, againResult) = await HubDeviceClient.ConnectAsync(fixture.Server, setup.Hub.HostName, "orphan-device", certificate: certificate);
            await using (again)
            {
                Assert.NotEqual(MqttClientConnectResultCode.Success, againResult);
            }
        }
    }

    [Fact]
    public async Task EachCaPublishesASignedCrlListingWhatItRevoked()
    {
        const string Group = "revoke-crl";
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, Group);
        var (certificate, issuer) = await setup.RegisterAsync(fixture.Server, "listed-device");
        var serial = certificate.SerialNumber;
        certificate.Dispose();
        issuer.Dispose();
        var revoked = await fixture.Client.PostAsync($"{setup.NamespacePath}/devices/listed-device/revoke", new { disable = false }, Api);
        Assert.True(revoked.Status == HttpStatusCode.Accepted, revoked.ToString());
        var policy = fixture.Client.PolicyPath(Group, $"{Group}-ns", "default");
        var issuerRevoked = await fixture.Client.PostAsync($"{policy}/revokeIssuer", new { }, Api);
        Assert.True(issuerRevoked.Status == HttpStatusCode.Accepted, issuerRevoked.ToString());

        // Anonymous, as relying parties fetch CRLs.
        using var anonymous = new HostClient(fixture.Server, "localhost");
        var directory = Directory.CreateTempSubdirectory("outpost-crl-").FullName;
        try
        {
            // The issuing CA now in force is the one the hub trusts after the automatic sync.
            var currentIssuer = (await fixture.Client.GetAsync(setup.Hub.HubPath + "/certificates/default")).Body!["properties"]!["certificate"]!.GetValue<string>();
            await File.WriteAllTextAsync(Path.Combine(directory, "issuer.pem"), currentIssuer);
            var rootCrl = await anonymous.GetBytesAsync($"/deviceCertificates{setup.NamespacePath}/credentials/default/crl");
            var issuingCrl = await anonymous.GetBytesAsync($"/deviceCertificates{policy}/crl");
            await File.WriteAllBytesAsync(Path.Combine(directory, "issuing.crl"), issuingCrl);
            await File.WriteAllBytesAsync(Path.Combine(directory, "root.crl"), rootCrl);

            // The issuing CA's list holds the device's serial; the root's list holds the revoked issuing CA.
            var (exitCode, text) = await Openssl(directory, "crl", "-inform", "DER", "-in", "issuing.crl", "-noout", "-text");
            Assert.True(exitCode == 0, text);
            Assert.Contains(serial.TrimStart('0'), text.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), StringComparison.Ordinal);
            var (verifyExit, verified) = await Openssl(directory, "crl", "-inform", "DER", "-in", "issuing.crl", "-CAfile", "issuer.pem", "-noout");
            Assert.True(verifyExit == 0 && verified.Contains("verify OK", StringComparison.Ordinal), verified);
            var (rootExit, rootText) = await Openssl(directory, "crl", "-inform", "DER", "-in", "root.crl", "-noout", "-text");
            Assert.True(rootExit == 0, rootText);
            Assert.Contains("Serial Number", rootText, StringComparison.Ordinal);
            Assert.Contains("Key Compromise", rootText, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> Openssl(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
