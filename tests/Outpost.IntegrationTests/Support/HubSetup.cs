using System.Net;

namespace Outpost.IntegrationTests.Support;

/// <summary>A resource group with an S1 hub, and the hub's owner connection string: what hub data-plane tests start from.</summary>
internal sealed record HubSetup(string HubPath, string HostName, string OwnerKey)
{
    public string ConnectionString => $"HostName={HostName};SharedAccessKeyName=iothubowner;SharedAccessKey={OwnerKey}";

    public static async Task<HubSetup> CreateAsync(ManagementClient client, string group, object? properties = null)
    {
        await client.PutAsync(client.ResourceGroupPath(group), new { location = "eastus" });
        var hubPath = client.HubPath(group, $"{group}-hub");
        var hub = await client.PutAsync(hubPath, new { location = "eastus", sku = new { name = "S1", capacity = 1 }, properties = properties ?? new { } });
        Assert.True(hub.Status == HttpStatusCode.Created, hub.ToString());
        var owner = await client.PostAsync(hubPath + "/IotHubKeys/iothubowner/listkeys", new { });
        return new HubSetup(hubPath, hub.Body!["properties"]!["hostName"]!.GetValue<string>(), owner.Body!["primaryKey"]!.GetValue<string>());
    }

    public string ServiceToken(string policy = "iothubowner", string? key = null, DateTimeOffset? expiry = null) =>
        Outpost.Core.SharedAccess.SharedAccessSignature.Create(HostName, key ?? OwnerKey, policy, expiry ?? DateTimeOffset.UtcNow.AddHours(1));
}
