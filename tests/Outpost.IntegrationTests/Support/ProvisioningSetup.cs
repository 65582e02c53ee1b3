using System.Net;
using Roles = Outpost.IntegrationTests.Support.ManagementClient.Roles;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// A DPS instance linked to a hub and to a Device Registry namespace (with the roles that needs), and the service
/// key to manage its enrollments: what registration tests start from.
/// </summary>
internal sealed record ProvisioningSetup(string Group, string NamespacePath, string HubHost, string ServiceHost, string IdScope, string ServiceKey)
{
    public static async Task<ProvisioningSetup> CreateAsync(ManagementClient client, string group)
    {
        await client.PutAsync(client.ResourceGroupPath(group), new { location = "eastus" });
        var namespacePath = client.NamespacePath(group, $"{group}-ns");
        await client.PollAsync(await client.PutAsync(namespacePath, new { location = "eastus", identity = new { type = "SystemAssigned" } }));
        var identityPath = client.IdentityPath(group, $"{group}-identity");
        var identityPrincipal = (await client.PutAsync(identityPath, new { location = "eastus" })).Body!["properties"]!["principalId"]!.GetValue<string>();
        await client.AssignRoleAsync(namespacePath, Roles.DeviceRegistryOnboarding, identityPrincipal);

        var hubPath = client.HubPath(group, $"{group}-hub");
        var hub = await client.PutAsync(hubPath, new { location = "eastus", sku = new { name = "S1", capacity = 1 } });
        Assert.True(hub.Status == HttpStatusCode.Created, hub.ToString());
        var hubHost = hub.Body!["properties"]!["hostName"]!.GetValue<string>();
        var owner = await client.PostAsync(hubPath + "/IotHubKeys/iothubowner/listkeys", new { });
        var connectionString = $"HostName={hubHost};SharedAccessKeyName=iothubowner;SharedAccessKey={owner.Body!["primaryKey"]!.GetValue<string>()}";

        var dpsPath = client.DpsPath(group, $"{group}-dps");
        var dps = await client.PutAsync(dpsPath, new
        {
            location = "eastus",
            sku = new { name = "S1", capacity = 1 },
            identity = new { type = "UserAssigned", userAssignedIdentities = new Dictionary<string, object> { [identityPath] = new { } } },
            properties = new
            {
                iotHubs = new[] { new { connectionString, location = "eastus" } },
                deviceRegistryNamespace = new { resourceId = namespacePath, authenticationType = "UserAssigned", selectedUserAssignedIdentityResourceId = identityPath },
            },
        });
        Assert.True(dps.Status == HttpStatusCode.Created, dps.ToString());
        var key = (await client.PostAsync(dpsPath + "/listkeys", new { })).Body!["value"]![0]!["primaryKey"]!.GetValue<string>();
        return new ProvisioningSetup(group, namespacePath, hubHost, dps.Body!["properties"]!["serviceOperationsHostName"]!.GetValue<string>(),
            dps.Body!["properties"]!["idScope"]!.GetValue<string>(), key);
    }

    public string ServiceToken() =>
        Outpost.Core.SharedAccess.SharedAccessSignature.Create(ServiceHost, ServiceKey, "provisioningserviceowner", DateTimeOffset.UtcNow.AddHours(1));
}
