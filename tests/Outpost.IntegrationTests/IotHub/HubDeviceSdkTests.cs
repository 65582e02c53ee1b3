using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.IotHub;

/// <summary>
/// The official azure-iot-device (Mqtt and MqttWs transports) and azure-iothub packages, unchanged, against a hub:
/// registry, telemetry read back from the event log, twin both ways, a direct method and a cloud-to-device message.
/// </summary>
[Collection(Port443Servers.Name)]
public sealed class HubDeviceSdkTests(Port443ServerFixture fixture)
{
    [Theory]
    [InlineData("mqtt")]
    [InlineData("mqttws")]
    public async Task ADeviceWithASasKeyConforms(string transport)
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, $"hub-sas-{transport}");
        var output = await RunAsync(hub, $"sas-{transport}-device", "sas", transport);
        Assert.Contains($"sas-{transport}-device: sas over {transport}: telemetry, twin, method and C2D conform", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqtt")]
    [InlineData("mqttws")]
    public async Task ADeviceWithASelfSignedCertificateConforms(string transport)
    {
        var hub = await HubSetup.CreateAsync(fixture.Client, $"hub-x509-{transport}");
        var deviceId = $"self-signed-{transport}";
        using var certificate = SelfSigned(deviceId);
        var output = await RunAsync(hub, deviceId, "selfSigned", transport, new Dictionary<string, string>
        {
            ["THUMBPRINT"] = certificate.Thumbprint,
            ["DEVICE_CERT"] = certificate.ExportCertificatePem(),
            ["DEVICE_KEY"] = DeviceCertificates.KeyPem(certificate),
        });
        Assert.Contains($"{deviceId}: selfSigned over {transport}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeviceWithTheCertificateDpsIssuedForItsCsrConforms()
    {
        var setup = await LinkedHubSetup.CreateAsync(fixture.Client, "hub-issued");
        var (certificate, issuingCa) = await setup.RegisterAsync(fixture.Server, "issued-device");
        using (certificate)
        using (issuingCa)
        {
            var output = await RunAsync(setup.Hub, "issued-device", "ca", "mqtt", new Dictionary<string, string>
            {
                ["DEVICE_CERT"] = certificate.ExportCertificatePem() + "\n" + issuingCa.ExportCertificatePem(),
                ["DEVICE_KEY"] = DeviceCertificates.KeyPem(certificate),
            });
            Assert.Contains("issued-device: ca over mqtt", output, StringComparison.Ordinal);
        }
    }

    private Task<string> RunAsync(HubSetup hub, string deviceId, string auth, string transport, Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["HUB_CONNECTION_STRING"] = hub.ConnectionString,
            ["MQTT_PORT"] = fixture.Server.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEVICE_ID"] = deviceId,
            ["AUTH"] = auth,
            ["TRANSPORT"] = transport,
        };
        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

        return NodeConformance.RunAsync(fixture.Server, "hub-device.mjs", environment);
    }

    internal static X509Certificate2 SelfSigned(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }
}
