using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Provisioning;

/// <summary>The official azure-iot-provisioning-service package, unchanged, against the DPS service API on port 443.</summary>
[Collection(Port443Servers.Name)]
public sealed class ProvisioningServiceSdkTests(Port443ServerFixture fixture)
{
    [Fact]
    public async Task TheServiceSdkManagesEnrollmentGroupsAndEnrollments()
    {
        var client = fixture.Client;
        await client.PutAsync(client.ResourceGroupPath("sdk-dps-rg"), new { location = "eastus" });
        var dps = await client.PutAsync(client.DpsPath("sdk-dps-rg", "sdk-dps"), new { location = "eastus", sku = new { name = "S1", capacity = 1 } });
        var host = dps.Body!["properties"]!["serviceOperationsHostName"]!.GetValue<string>();
        var key = (await client.PostAsync(client.DpsPath("sdk-dps-rg", "sdk-dps") + "/listkeys", new { })).Body!["value"]![0]!;
        var connectionString = $"HostName={host};SharedAccessKeyName={key["keyName"]};SharedAccessKey={key["primaryKey"]}";

        var output = await NodeConformance.RunAsync(fixture.Server, "enrollments.mjs", new Dictionary<string, string> { ["DPS_CONNECTION_STRING"] = connectionString });
        Assert.Contains("enrollment group and 3 enrollments managed", output, StringComparison.Ordinal);
    }
}
