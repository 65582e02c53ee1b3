using System.Net;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using MQTTnet;
using Outpost.IntegrationTests.IotHub;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Security;

/// <summary>
/// Hostile input on every listener: garbage where MQTT packets belong, JSON nested past any sane depth, bodies far
/// over the limits. Each is refused cleanly, nothing is kept, and the server keeps serving well-behaved clients.
/// </summary>
public sealed class HostileInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>Generated MQTT packets per run: 200 in the test command; <c>OUTPOST_FUZZ_ITERATIONS</c> (divided by 100) for a longer run.</summary>
    private static readonly int FuzzCases = int.TryParse(Environment.GetEnvironmentVariable("OUTPOST_FUZZ_ITERATIONS"), out var configured) ? Math.Max(200, configured / 100) : 200;

    [Fact]
    public async Task GarbageOnTheMqttListenerIsDroppedAndDevicesStillConnect()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "hostile-mqtt");
        using var service = new HostClient(fixture.Server, hub.HostName);
        var created = await service.SendAsync(HttpMethod.Put, "/devices/calm-device?api-version=2021-04-12", hub.ServiceToken(), new { deviceId = "calm-device" });
        var key = created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();

        // Fixed cases (a CONNECT claiming 256 MB, a CONNECT with NUL and wildcards in its client id, a PUBLISH before
        // CONNECT), then CsCheck-generated packets: any MQTT packet type, any flags, any length field, any body.
        byte[][] fixedCases =
        [
            [0x10, 0xFF, 0xFF, 0xFF, 0x7F, .. RandomBytes(new Random(1), 64)],
            [0x10, 0x10, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x04, (byte)'a', 0, (byte)'#', (byte)'+'],
            [0x30, 0x05, 0x00, 0x10, (byte)'x'],
        ];
        var generated = Gen.Select(Gen.Byte, Gen.Byte.Array[0, 4], Gen.Byte.Array[0, 1500],
            (header, length, body) => (byte[])[header, .. length, .. body]).Array[FuzzCases].Single();
        // All at once: packets that stop short hold their connection until the server's ten-second timeout.
        await Task.WhenAll(fixedCases.Concat(generated).Select(SendRawAsync));

        var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "calm-device", HubDeviceRefusalTests.DeviceToken(hub, "calm-device", key));
        await using (device)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result);
            await device.PublishAsync("devices/calm-device/messages/events/", "still serving");
        }
    }

    [Theory]
    [InlineData("invalid-utf8")]
    [InlineData("nul")]
    [InlineData("wildcard")]
    public async Task AnAuthenticatedDevicePublishingOnAMalformedTopicIsDisconnectedAndNothingIsKept(string kind)
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, $"hostile-topic-{kind}");
        using var service = new HostClient(fixture.Server, hub.HostName);
        var deviceId = $"raw-{kind}";
        var created = await service.SendAsync(HttpMethod.Put, $"/devices/{deviceId}?api-version=2021-04-12", hub.ServiceToken(), new { deviceId });
        var key = created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();
        var prefix = Encoding.UTF8.GetBytes($"devices/{deviceId}/messages/events/");
        byte[] topic = kind switch
        {
            "invalid-utf8" => [.. prefix, 0xC3, 0x28, 0xFF],
            "nul" => [.. prefix, (byte)'a', 0x00, (byte)'b'],
            _ => [.. prefix, (byte)'+', (byte)'/', (byte)'#'],
        };

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Server.MqttPort);
        await using var tls = await TrustedTls.OpenAsync(fixture.Server, tcp, hub.HostName);
        await tls.WriteAsync(Connect(deviceId, $"{hub.HostName}/{deviceId}/?api-version=2021-04-12", HubDeviceRefusalTests.DeviceToken(hub, deviceId, key)));
        var connack = new byte[4];
        await tls.ReadExactlyAsync(connack);
        Assert.Equal([0x20, 0x02, 0x00, 0x00], connack);

        await tls.WriteAsync(Packet(0x32, [.. Length16(topic.Length), .. topic, 0x00, 0x01, (byte)'x']));
        var buffer = new byte[16];
        int read;
        try
        {
            read = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
        var partitions = await service.SendAsync(HttpMethod.Get, "/events/partitions?api-version=2021-04-12", hub.ServiceToken());
        Assert.All(partitions.Body!["partitions"]!.AsArray(), partition => Assert.Null(partition!["lastSequenceNumber"]));
    }

    [Fact]
    public async Task DeeplyNestedJsonIsRefusedOnEveryPlane()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        var management = await fixture.Client.SendAsync(HttpMethod.Put, fixture.Client.ResourceGroupPath("nested-rg"), nested, null);
        Assert.True(management.Status == HttpStatusCode.BadRequest, management.ToString());
        Assert.Contains("JSON", management.Body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(fixture.Client.ResourceGroupPath("nested-rg"))).Status);

        var hub = await HubSetup.CreateAsync(fixture.Client, "hostile-json");
        using var service = new HostClient(fixture.Server, hub.HostName);
        await service.SendAsync(HttpMethod.Put, "/devices/deep-device?api-version=2021-04-12", hub.ServiceToken(), new { deviceId = "deep-device" });
        var twin = await service.SendAsync(HttpMethod.Patch, "/twins/deep-device?api-version=2021-04-12", hub.ServiceToken(), $"{{\"tags\":{nested}}}");
        Assert.True(twin.Status == HttpStatusCode.BadRequest, twin.ToString());
        var shallow = $"{{\"tags\":{string.Concat(Enumerable.Repeat("{\"a\":", 12))}1{new string('}', 12)}}}";
        var tooDeep = await service.SendAsync(HttpMethod.Patch, "/twins/deep-device?api-version=2021-04-12", hub.ServiceToken(), shallow);
        Assert.True(tooDeep.Status == HttpStatusCode.BadRequest, tooDeep.ToString());
        Assert.Contains("deeper than 10", tooDeep.Body!["Message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodiesOverTheLimitAreRefusedWithoutBeingRead()
    {
        var huge = "{\"location\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";
        using var http = new HostClient(fixture.Server, "localhost");
        var token = "Bearer " + await fixture.Client.GetTokenAsync("https://management.azure.com/.default");
        // With Expect: 100-continue the client waits for the server's verdict before sending the body, as curl does for large uploads.
        var refused = await http.SendAsync(HttpMethod.Put, fixture.Client.ResourceGroupPath("huge-rg") + "?api-version=2021-04-01", token, huge,
            new Dictionary<string, string> { ["Expect"] = "100-continue" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(fixture.Client.ResourceGroupPath("huge-rg"))).Status);
    }

    private async Task SendRawAsync(byte[] payload)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Server.MqttPort);
        await using var tls = await TrustedTls.OpenAsync(fixture.Server, tcp, "localhost");
        try
        {
            await tls.WriteAsync(payload);
            await tls.FlushAsync();
            var buffer = new byte[256];
            // The server answers with a refusal or closes; either way the read ends.
            await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (IOException)
        {
            // Closed by the server: what garbage should get.
        }
    }

    /// <summary>An MQTT 3.1.1 CONNECT with user name and password, as the SDKs send it.</summary>
    private static byte[] Connect(string clientId, string userName, string password)
    {
        byte[] String(string value) => [.. Length16(Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];
        return Packet(0x10, [.. String("MQTT"), 0x04, 0xC2, 0x00, 0x3C, .. String(clientId), .. String(userName), .. String(password)]);
    }

    private static byte[] Packet(byte type, byte[] body)
    {
        var length = new List<byte>();
        var remaining = body.Length;
        do
        {
            var digit = (byte)(remaining % 128);
            remaining /= 128;
            length.Add(remaining > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remaining > 0);
        return [type, .. length, .. body];
    }

    private static byte[] Length16(int length) => [(byte)(length >> 8), (byte)(length & 0xFF)];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
