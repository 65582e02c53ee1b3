using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using Outpost.Core.SharedAccess;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.IotHub;

/// <summary>The device endpoint's refusals: each is clean (the device is told no or disconnected) and keeps nothing.</summary>
public sealed class HubDeviceRefusalTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task PublishingOnAnotherDevicesTopicEndsTheConnectionAndStoresNothing()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "refuse-topic");
        var key = await CreateSasDeviceAsync(hub, "honest-device");
        await CreateSasDeviceAsync(hub, "victim-device");
        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "honest-device", DeviceToken(hub, "honest-device", key));
        await using (device)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
            await Assert.ThrowsAnyAsync<Exception>(() => device.PublishAsync("devices/victim-device/messages/events/", "forged"));
            await device.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await AssertEventLogEmptyAsync(hub);
        await fixture.Server.WaitForOutputAsync("may not publish on 'devices/victim-device/messages/events/'");
    }

    [Fact]
    public async Task AMessageOver256KbEndsTheConnectionAndIsNotStored()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "refuse-size");
        var key = await CreateSasDeviceAsync(hub, "chatty-device");
        var (device, _) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "chatty-device", DeviceToken(hub, "chatty-device", key));
        await using (device)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => device.PublishAsync("devices/chatty-device/messages/events/", new byte[300 * 1024]));
            await device.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await AssertEventLogEmptyAsync(hub);
        await fixture.Server.WaitForOutputAsync("MessageTooLarge");
    }

    [Fact]
    public async Task DisabledDevicesWrongKeysAndExpiredTokensAreNotAuthorized()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "refuse-auth");
        var key = await CreateSasDeviceAsync(hub, "keyed-device");
        var disabledKey = await CreateSasDeviceAsync(hub, "parked-device", status: "disabled");

        await AssertRefusedAsync(hub, "keyed-device", DeviceToken(hub, "keyed-device", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), null, "the token is not signed with a key of device 'keyed-device'");
        await AssertRefusedAsync(hub, "keyed-device", DeviceToken(hub, "keyed-device", key, DateTimeOffset.UtcNow.AddMinutes(-1)), null, "the token expired at");
        await AssertRefusedAsync(hub, "parked-device", DeviceToken(hub, "parked-device", disabledKey), null, "device 'parked-device' is disabled");
        await AssertRefusedAsync(hub, "ghost-device", DeviceToken(hub, "ghost-device", key), null, "device 'ghost-device' is not registered");

        // The same key, current, works: the refusals were about the token and the device, not the set-up.
        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "keyed-device", DeviceToken(hub, "keyed-device", key));
        await using (device)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
        }
    }

    [Fact]
    public async Task DisablingAConnectedDeviceDropsItsConnection()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "refuse-disable");
        var key = await CreateSasDeviceAsync(hub, "switched-device");
        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "switched-device", DeviceToken(hub, "switched-device", key));
        await using (device)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
            using var service = new HostClient(fixture.Server, hub.HostName);
            var disabled = await service.SendAsync(HttpMethod.Put, "/devices/switched-device?api-version=2021-04-12", hub.ServiceToken(),
                new { deviceId = "switched-device", status = "disabled", authentication = new { type = "sas", symmetricKey = new { primaryKey = key, secondaryKey = key } } },
                new Dictionary<string, string> { ["If-Match"] = "\"*\"" });
            Assert.True(disabled.Status == HttpStatusCode.OK, disabled.ToString());
            await device.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }

        await AssertRefusedAsync(hub, "switched-device", DeviceToken(hub, "switched-device", key), null, "device 'switched-device' is disabled");
    }

    [Fact]
    public async Task RegeneratingADevicesKeyDropsItsConnectionAndTheOldKeyStopsWorking()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "refuse-rekey");
        var oldKey = await CreateSasDeviceAsync(hub, "rekeyed-device");
        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "rekeyed-device", DeviceToken(hub, "rekeyed-device", oldKey));
        await using (device)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
            var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            using var service = new HostClient(fixture.Server, hub.HostName);
            var rekeyed = await service.SendAsync(HttpMethod.Put, "/devices/rekeyed-device?api-version=2021-04-12", hub.ServiceToken(),
                new { deviceId = "rekeyed-device", authentication = new { type = "sas", symmetricKey = new { primaryKey = newKey, secondaryKey = newKey } } },
                new Dictionary<string, string> { ["If-Match"] = "\"*\"" });
            Assert.True(rekeyed.Status == HttpStatusCode.OK, rekeyed.ToString());
            await device.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(1));
        }

        await AssertRefusedAsync(hub, "rekeyed-device", DeviceToken(hub, "rekeyed-device", oldKey), null, "the token is not signed with a key of device 'rekeyed-device'");
    }

    [Fact]
    public async Task CertificatesOfAPolicyNeverSyncedOrOfAnotherNamespaceAreRefused()
    {
        const string Group = "refuse-ca";
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, Group);
        var client = fixture.Client;

        // A policy created after "Sync all": its issuing CA never reached the hub.
        await client.PollAsync(await client.PutAsync(client.PolicyPath(Group, $"{Group}-ns", "late-policy"),
            new { properties = new { certificate = new { leafCertificateConfiguration = new { validityPeriodInDays = 30 } } } }));
        using var late = await IssueAsync(Group, $"{Group}-ns", "late-device", "late-policy");

        // Another namespace's default policy: a CA the hub has never heard of.
        await client.PollAsync(await client.PutAsync(client.NamespacePath(Group, "other-ns"), new { location = "eastus", identity = new { type = "SystemAssigned" } }));
        using var stranger = await IssueAsync(Group, "other-ns", "stranger-device", "default");

        foreach (var deviceId in (string[])["late-device", "stranger-device"])
        {
            using var service = new HostClient(fixture.Server, setup.Hub.HostName);
            var created = await service.SendAsync(HttpMethod.Put, $"/devices/{deviceId}?api-version=2021-04-12", setup.Hub.ServiceToken(),
                new { deviceId, authentication = new { type = "certificateAuthority" } });
            Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        }

        await AssertRefusedAsync(setup.Hub, "late-device", null, late, "the client certificate of 'late-device' (issuer");
        await AssertRefusedAsync(setup.Hub, "stranger-device", null, stranger, "the client certificate of 'stranger-device' (issuer");
    }

    [Fact]
    public async Task TlsBelowTheHubsMinimumIsRefusedInTheHandshake()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "refuse-tls");
        var (modern, modernOutput) = await OpensslHandshakeAsync(hub.HostName, "-tls1_2");
        Assert.True(modern == 0 && modernOutput.Contains("TLSv1.2", StringComparison.Ordinal), modernOutput);
        var (old, oldOutput) = await OpensslHandshakeAsync(hub.HostName, "-tls1_1");
        Assert.True(old != 0 && !oldOutput.Contains("Protocol  : TLSv1.1", StringComparison.Ordinal), oldOutput);
    }

    private async Task<X509Certificate2> IssueAsync(string group, string ns, string deviceId, string policy)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={deviceId}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var issued = await fixture.Client.PostAsync(fixture.Client.IssuePath(group, ns, deviceId, policy), new { csr = Convert.ToBase64String(csr) });
        var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(issued.Body!["result"]!["issuedCertificateChain"]![0]!.GetValue<string>()));
        using var withKey = leaf.CopyWithPrivateKey(key);
        leaf.Dispose();
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }

    private async Task AssertRefusedAsync(HubSetup hub, string deviceId, string? password, X509Certificate2? certificate, string reason)
    {
        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, deviceId, password, certificate);
        await using (device)
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, result);
            Assert.False(device.IsConnected);
        }

        await fixture.Server.WaitForOutputAsync($"Hub device {deviceId} refused: ");
        await fixture.Server.WaitForOutputAsync(reason);
    }

    private async Task<string> CreateSasDeviceAsync(HubSetup hub, string deviceId, string status = "enabled")
    {
        using var service = new HostClient(fixture.Server, hub.HostName);
        var created = await service.SendAsync(HttpMethod.Put, $"/devices/{deviceId}?api-version=2021-04-12", hub.ServiceToken(), new { deviceId, status });
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        return created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
    }

    private async Task AssertEventLogEmptyAsync(HubSetup hub)
    {
        using var service = new HostClient(fixture.Server, hub.HostName);
        var partitions = await service.SendAsync(HttpMethod.Get, "/events/partitions?api-version=2021-04-12", hub.ServiceToken());
        Assert.True(partitions.Status == HttpStatusCode.OK, partitions.ToString());
        Assert.All(partitions.Body!["partitions"]!.AsArray(), partition => Assert.Null(partition!["lastSequenceNumber"]));
    }

    internal static string DeviceToken(HubSetup hub, string deviceId, string key, DateTimeOffset? expiry = null) =>
        SharedAccessSignature.Create($"{hub.HostName}/devices/{deviceId}", key, null, expiry ?? DateTimeOffset.UtcNow.AddHours(1));

    private async Task<(int ExitCode, string Output)> OpensslHandshakeAsync(string hostName, string protocol)
    {
        var start = new System.Diagnostics.ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in (string[])["s_client", "-connect", $"127.0.0.1:{fixture.Server.MqttPort}", "-servername", hostName, protocol, "-cipher", "DEFAULT@SECLEVEL=0",
            "-CAfile", fixture.Server.CaPemPath, "-brief"])
        {
            start.ArgumentList.Add(argument);
        }

        using var openssl = System.Diagnostics.Process.Start(start)!;
        openssl.StandardInput.Close();
        var output = await openssl.StandardOutput.ReadToEndAsync() + await openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        return (openssl.ExitCode, output);
    }
}
