using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MQTTnet;
using Outpost.IntegrationTests.IotHub;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Security;

/// <summary>
/// Thousands of idle connections from one address and clients that dribble their requests: the server holds them
/// (closing them on its timeouts) and keeps serving well-behaved devices and callers meanwhile.
/// </summary>
public sealed class FloodTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AFloodOfIdleAndSlowConnectionsLeavesTheServerResponsive()
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, "flood");
        using var service = new HostClient(fixture.Server, hub.HostName);
        var created = await service.SendAsync(HttpMethod.Put, "/devices/steady-device?api-version=2021-04-12", hub.ServiceToken(), new { deviceId = "steady-device" });
        var key = created.Body!["authentication"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>();

        var sockets = new List<Socket>();
        try
        {
            // 2,000 connections to the MQTT listener that never start TLS, and 2,000 to the HTTPS listener.
            foreach (var port in (int[])[fixture.Server.MqttPort, fixture.Server.HttpsPort])
            {
                for (var index = 0; index < 2000; index++)
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(IPAddress.Loopback, port);
                    sockets.Add(socket);
                }
            }

            // And 50 slow HTTP clients sending a request header one byte at a time.
            using var slow = new CancellationTokenSource();
            var dribblers = Enumerable.Range(0, 50).Select(_ => DribbleAsync(fixture.Server.HttpsPort, slow.Token)).ToList();

            var clock = Stopwatch.StartNew();
            var (device, result) = await HubDeviceClient.ConnectAsync(fixture.Server, hub.HostName, "steady-device", HubDeviceRefusalTests.DeviceToken(hub, "steady-device", key));
            await using (device)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                await device.PublishAsync("devices/steady-device/messages/events/", "through the flood");
            }

            var listed = await service.SendAsync(HttpMethod.Get, "/devices?api-version=2021-04-12", hub.ServiceToken());
            Assert.Equal(HttpStatusCode.OK, listed.Status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Serving a device and a service call during the flood took {clock.Elapsed.TotalSeconds:F1} s.");
            await slow.CancelAsync();
            await Task.WhenAll(dribblers);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>A TLS client that sends a request header a byte every 200 ms until stopped or cut off.</summary>
    private async Task DribbleAsync(int port, CancellationToken stop)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, stop);
            await using var tls = await TrustedTls.OpenAsync(fixture.Server, tcp, "localhost", stop);
            foreach (var character in Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + new string('a', 500)))
            {
                await tls.WriteAsync(new[] { character }, stop);
                await tls.FlushAsync(stop);
                await Task.Delay(200, stop);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
        {
            // Stopped by the test, or cut off by the server's header timeout: both fine.
        }
    }
}
