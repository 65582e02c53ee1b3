using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MQTTnet;
using Outpost.IntegrationTests.IotHub;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Reliability;

/// <summary>
/// Kills the server with SIGKILL at random moments under load (DPS registrations with CSRs, telemetry from several
/// devices, cloud-to-device sends, twin patches, management writes), restarts it on the same data directory each time,
/// and checks that nothing it acknowledged was lost and nothing is half-made: every assigned registration has its hub
/// device and every registration state its hub device (and back), every PUBACKed message is in the event log, every
/// accepted cloud-to-device message is queued, twin versions never go back, every created resource group exists, and
/// each start is clean.
/// </summary>
public sealed class CrashUnderLoadTests
{
    private const int KillPoints = 20;
    private const string Api = "api-version=2021-04-12";
    private static readonly string[] Settings =
        ["--Outpost:IotHub:Throttling:Enabled=false", "--Outpost:IotHub:MaxQueuedCloudToDeviceMessages=100000", "--Logging:LogLevel:Microsoft.AspNetCore=Warning"];

    private readonly ConcurrentDictionary<string, byte> pubacked = new();
    private readonly ConcurrentDictionary<string, byte> groups = new();
    private readonly ConcurrentDictionary<string, byte> registrationsAttempted = new();
    private readonly ConcurrentDictionary<string, byte> registrationsAssigned = new();
    private LinkedHubSetup setup = null!;
    private (string Host, string Key) dps;
    private long cloudToDeviceAccepted;
    private long twinVersionAcknowledged;

    [Fact]
    public async Task NothingAcknowledgedIsLostAcrossTwentyKills()
    {
        var server = await OutpostServer.StartAsync(null, Settings);
        HubSetup hub;
        var keys = new Dictionary<string, string>();
        using (var client = new ManagementClient(server))
        {
            await client.SignInAsync();
            setup = await LinkedHubSetup.CreateAsync(client, "crash");
            hub = setup.Hub;
            var instance = await client.GetAsync(client.DpsPath("crash", "crash-dps"));
            var dpsKey = (await client.PostAsync(client.DpsPath("crash", "crash-dps") + "/listkeys", new { })).Body!["value"]![0]!["primaryKey"]!.GetValue<string>();
            dps = (instance.Body!["properties"]!["serviceOperationsHostName"]!.GetValue<string>(), dpsKey);
            using var service = new HostClient(server, hub.HostName);
            foreach (var deviceId in (string[])["sender-1", "sender-2", "sender-3", "twin-device", "queue-device"])
            {
                var created = await service.SendAsync(HttpMethod.Put, $"/devices/{deviceId}?{Api}", hub.ServiceToken(), new { deviceId });
                keys[deviceId] = created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
            }
        }

        for (var kill = 1; kill <= KillPoints; kill++)
        {
            using var load = new CancellationTokenSource();
            var running = RunLoadAsync(server, hub, keys, kill, load.Token);
            await Task.Delay(Random.Shared.Next(300, 1500));
            AssertNoErrors(server, $"before kill {kill}");
            await server.CrashAsync();
            await load.CancelAsync();
            await running;

            server = await OutpostServer.StartAsync(server.DataDirectory, Settings);
            await VerifyAsync(server, hub, kill);
        }

        Assert.True(pubacked.Count > KillPoints * 10, $"The load was too light to mean anything: {pubacked.Count} messages PUBACKed.");
        Assert.True(registrationsAssigned.Count > KillPoints, $"The load was too light to mean anything: {registrationsAssigned.Count} registrations assigned.");
        await server.StopAsync();
    }

    private async Task RunLoadAsync(OutpostServer server, HubSetup hub, Dictionary<string, string> keys, int round, CancellationToken stop)
    {
        var tasks = new List<Task>();
        foreach (var sender in (string[])["sender-1", "sender-2", "sender-3"])
        {
            tasks.Add(Swallow(async () =>
            {
                var (device, result) = await HubDeviceClient.ConnectAsync(server, hub.HostName, sender, HubDeviceRefusalTests.DeviceToken(hub, sender, keys[sender]));
                await using (device)
                {
                    Assert.Equal(MqttClientConnectResultCode.Success, result);
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var id = string.Create(CultureInfo.InvariantCulture, $"{round}-{sender}-{n}");
                        await device.PublishAsync($"devices/{sender}/messages/events/%24.mid={id}", $"{{\"n\":{n}}}");
                        pubacked[id] = 0;
                    }
                }
            }));
        }

        tasks.Add(Swallow(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var registrationId = string.Create(CultureInfo.InvariantCulture, $"onboard-{round}-{n}");
                registrationsAttempted[registrationId] = 0;
                var (certificate, issuer) = await setup.RegisterAsync(server, registrationId);
                certificate.Dispose();
                issuer.Dispose();
                registrationsAssigned[registrationId] = 0;
            }
        }));

        tasks.Add(Swallow(async () =>
        {
            using var service = new HostClient(server, hub.HostName);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var sent = await service.SendAsync(HttpMethod.Post, $"/devices/queue-device/messages/deviceBound?{Api}", hub.ServiceToken(), $"\"{round}-{n}\"");
                if (sent.Status == HttpStatusCode.NoContent)
                {
                    Interlocked.Increment(ref cloudToDeviceAccepted);
                }

                var patched = await service.SendAsync(HttpMethod.Patch, $"/twins/twin-device?{Api}", hub.ServiceToken(), new { properties = new { desired = new { round, n } } });
                if (patched.Status == HttpStatusCode.OK)
                {
                    var version = patched.Body!["version"]!.GetValue<long>();
                    InterlockedMax(ref twinVersionAcknowledged, version);
                }
            }
        }));

        tasks.Add(Swallow(async () =>
        {
            using var client = new ManagementClient(server);
            await client.SignInAsync();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"crash-{round}-{n}");
                var created = await client.PutAsync(client.ResourceGroupPath(name), new { location = "eastus" });
                if (created.Status == HttpStatusCode.Created)
                {
                    groups[name] = 0;
                }
            }
        }));
        await Task.WhenAll(tasks);
    }

    private async Task VerifyAsync(OutpostServer server, HubSetup hub, int kill)
    {
        using var service = new HostClient(server, hub.HostName);
        var logged = new HashSet<string>(StringComparer.Ordinal);
        var layout = await service.SendAsync(HttpMethod.Get, $"/events/partitions?{Api}", hub.ServiceToken());
        for (var partition = 0; partition < layout.Body!["partitionCount"]!.GetValue<int>(); partition++)
        {
            for (long next = 0; ;)
            {
                var page = await service.SendAsync(HttpMethod.Get, $"/events/consumerGroups/$Default/partitions/{partition}?{Api}&from={next}&maxCount=1000", hub.ServiceToken());
                var events = page.Body!["events"]!.AsArray();
                if (events.Count == 0)
                {
                    break;
                }

                foreach (var item in events)
                {
                    logged.Add(item!["systemProperties"]!["message-id"]!.GetValue<string>());
                }

                next = page.Body!["nextSequenceNumber"]!.GetValue<long>();
            }
        }

        var lost = pubacked.Keys.Where(id => !logged.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"After kill {kill}, {lost.Count} PUBACKed messages are missing from the event log, e.g. {string.Join(", ", lost.Take(5))}.");

        var queue = await service.SendAsync(HttpMethod.Get, $"/devices/queue-device?{Api}", hub.ServiceToken());
        var queued = queue.Body!["cloudToDeviceMessageCount"]!.GetValue<long>();
        Assert.True(queued >= Interlocked.Read(ref cloudToDeviceAccepted), $"After kill {kill}, {queued} cloud-to-device messages are queued but {cloudToDeviceAccepted} were accepted.");

        var twin = await service.SendAsync(HttpMethod.Get, $"/twins/twin-device?{Api}", hub.ServiceToken());
        var version = twin.Body!["version"]!.GetValue<long>();
        Assert.True(version >= Interlocked.Read(ref twinVersionAcknowledged), $"After kill {kill}, the twin is at version {version}, below the acknowledged {twinVersionAcknowledged}.");

        // Registrations: every one acknowledged as assigned is complete, and none is half-made.
        using var provisioning = new HostClient(server, dps.Host);
        var dpsToken = Outpost.Core.SharedAccess.SharedAccessSignature.Create(dps.Host, dps.Key, "provisioningserviceowner", DateTimeOffset.UtcNow.AddHours(1));
        foreach (var registrationId in registrationsAttempted.Keys)
        {
            var state = await provisioning.SendAsync(HttpMethod.Get, $"/registrations/{registrationId}?api-version=2021-10-01", dpsToken);
            var device = await service.SendAsync(HttpMethod.Get, $"/devices/{registrationId}?{Api}", hub.ServiceToken());
            var assigned = state.Status == HttpStatusCode.OK && state.Body!["status"]?.GetValue<string>() == "assigned";
            Assert.True(assigned == (device.Status == HttpStatusCode.OK),
                $"After kill {kill}, registration {registrationId} is half-made: state {(int)state.Status} {state.Body?["status"]}, hub device {(int)device.Status}.");
            Assert.True(assigned || !registrationsAssigned.ContainsKey(registrationId), $"After kill {kill}, the acknowledged registration {registrationId} is gone.");
        }

        using var client = new ManagementClient(server);
        await client.SignInAsync();
        var listed = (await client.GetAsync(client.ResourceGroupPath(string.Empty).TrimEnd('/'))).Body!["value"]!.AsArray()
            .Select(group => group!["name"]!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var gone = groups.Keys.Where(group => !listed.Contains(group)).ToList();
        Assert.True(gone.Count == 0, $"After kill {kill}, acknowledged resource groups are gone: {string.Join(", ", gone.Take(5))}.");

        AssertNoErrors(server, $"after restart {kill}");
    }

    private static void AssertNoErrors(OutpostServer server, string when)
    {
        var errors = server.Output.Split('\n').Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"The server logged errors {when}:\n{string.Join('\n', errors)}\n{server.Output[^Math.Min(4000, server.Output.Length)..]}");
    }

    /// <summary>Load ends with the kill: whatever a client was doing then fails, and only what was acknowledged before counts.</summary>
    private static async Task Swallow(Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            // The server died mid-request; nothing was acknowledged by this call.
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
