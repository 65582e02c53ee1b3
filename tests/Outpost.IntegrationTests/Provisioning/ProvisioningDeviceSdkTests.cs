using System.Net;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Provisioning;

/// <summary>The official azure-iot-provisioning-device package, unchanged, registers devices of a symmetric-key group.</summary>
[Collection(Port443Servers.Name)]
public sealed class ProvisioningDeviceSdkTests(Port443ServerFixture fixture)
{
    [Fact]
    public async Task TheDeviceSdkRegistersThroughASymmetricKeyGroupOverHttps()
    {
        var (setup, groupKey) = await PrepareAsync("sdk-http");
        var output = await NodeConformance.RunAsync(fixture.Server, "register-symmetric-key.mjs", new Dictionary<string, string>
        {
            ["TRANSPORT"] = "http",
            ["PROVISIONING_HOST"] = "global.dps.outpost.localhost",
            ["ID_SCOPE"] = setup.IdScope,
            ["GROUP_KEY"] = groupKey,
            ["REGISTRATION_ID"] = "sdk-http-device",
        });
        Assert.Contains($"sdk-http-device assigned to {setup.HubHost} over http", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDeviceSdkRegistersThroughASymmetricKeyGroupOverMqtt()
    {
        var (setup, groupKey) = await PrepareAsync("sdk-mqtt");
        var output = await NodeConformance.RunAsync(fixture.Server, "register-symmetric-key.mjs", new Dictionary<string, string>
        {
            ["TRANSPORT"] = "mqtt",
            ["PROVISIONING_HOST"] = $"global.dps.outpost.localhost:{fixture.Server.MqttPort}",
            ["ID_SCOPE"] = setup.IdScope,
            ["GROUP_KEY"] = groupKey,
            ["REGISTRATION_ID"] = "sdk-mqtt-device",
        });
        Assert.Contains($"sdk-mqtt-device assigned to {setup.HubHost} over mqtt", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("mqtt")]
    public async Task TheDeviceSdkRegistersThroughAnX509IntermediateCaGroup(string transport)
    {
        var setup = await ProvisioningSetup.CreateAsync(fixture.Client, $"sdk-x509-{transport}");
        using var pki = new DeviceCertificates($"sdk-x509-{transport}");
        using var service = new HostClient(fixture.Server, setup.ServiceHost);
        var group = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/x509-fleet?{RegistrationFixture.Api}", setup.ServiceToken(),
            new { enrollmentGroupId = "x509-fleet", attestation = new { type = "x509", x509 = new { signingCertificates = new { primary = new { certificate = pki.Intermediate.ExportCertificatePem() } } } } });
        Assert.True(group.Status == HttpStatusCode.OK, group.ToString());
        var registrationId = $"x509-{transport}-device";
        using var device = pki.Device(registrationId);

        var output = await NodeConformance.RunAsync(fixture.Server, "register-x509.mjs", new Dictionary<string, string>
        {
            ["TRANSPORT"] = transport,
            ["PROVISIONING_HOST"] = transport == "http" ? "global.dps.outpost.localhost" : $"global.dps.outpost.localhost:{fixture.Server.MqttPort}",
            ["ID_SCOPE"] = setup.IdScope,
            ["REGISTRATION_ID"] = registrationId,
            ["DEVICE_CERT"] = device.ExportCertificatePem() + "\n" + pki.Intermediate.ExportCertificatePem(),
            ["DEVICE_KEY"] = DeviceCertificates.KeyPem(device),
        });
        Assert.Contains($"{registrationId} assigned to {setup.HubHost} over {transport} with X.509", output, StringComparison.Ordinal);
    }

    private async Task<(ProvisioningSetup Setup, string GroupKey)> PrepareAsync(string group)
    {
        var setup = await ProvisioningSetup.CreateAsync(fixture.Client, group);
        using var service = new HostClient(fixture.Server, setup.ServiceHost);
        var enrollment = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/{group}-fleet?{RegistrationFixture.Api}", setup.ServiceToken(),
            new { enrollmentGroupId = $"{group}-fleet", attestation = new { type = "symmetricKey" } });
        Assert.True(enrollment.Status == HttpStatusCode.OK, enrollment.ToString());
        return (setup, enrollment.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>());
    }
}
