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
