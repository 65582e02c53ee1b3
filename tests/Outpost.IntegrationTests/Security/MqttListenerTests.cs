using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Security;

/// <summary>
/// The MQTT listener speaks TLS with the server's SNI certificate, accepts connections with or without a client
/// certificate, and refuses a CONNECT whose user name is neither a DPS registration's nor a hub device's.
/// </summary>
public sealed class MqttListenerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("ok/with-client-certificate", true)]
    [InlineData("ok/without-client-certificate", false)]
    public async Task ConnectsOverTlsAndAnUnknownUserIsRefused(string label, bool withCertificate)
    {
        using var trustAnchor = X509CertificateLoader.LoadCertificateFromFile(fixture.Server.CaPemPath);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var deviceCertificate = new CertificateRequest("CN=probe-device", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        var serverCertificateTrusted = false;
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("localhost", fixture.Server.MqttPort)
            .WithClientId("probe-device")
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost("localhost").WithCertificateValidationHandler(context =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trustAnchor);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    serverCertificateTrusted = context.SslPolicyErrors is System.Net.Security.SslPolicyErrors.None or System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors
                        && chain.Build(new X509Certificate2(context.Certificate));
                    return serverCertificateTrusted;
                });
                if (withCertificate)
                {
                    tls.WithClientCertificates([deviceCertificate]);
                }
            })
            .Build();

        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(options);
        Assert.True(serverCertificateTrusted, $"{label}: the MQTT listener's certificate did not chain to tls/ca.pem");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
        Assert.False(client.IsConnected, $"{label}: a refused client must not stay connected");
    }

    [Fact]
    public async Task AClientThatNeverSendsConnectIsDisconnected()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, fixture.Server.MqttPort);
        await using var tls = await TrustedTls.OpenAsync(fixture.Server, tcp, "localhost");

        // Nothing is sent; the server must close the connection on its own (after its ten-second CONNECT timeout).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[16];
        int read;
        try
        {
            read = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));
    }
}
