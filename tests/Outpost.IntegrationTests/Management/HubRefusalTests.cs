using System.Net;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Management;

/// <summary>Hub and DPS settings a user gets wrong are refused with the rule that was broken, and leave nothing behind.</summary>
public sealed class HubRefusalTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string Group = "hub-refusals-rg";

    private ManagementClient Client => fixture.Client;

    public async ValueTask InitializeAsync() => await Client.PutAsync(Client.ResourceGroupPath(Group), new { location = "eastus" });

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("fail/too-short", "ab")]
    [InlineData("fail/leading-hyphen", "-hub")]
    [InlineData("fail/trailing-hyphen", "hub-")]
    [InlineData("fail/all-digits", "12345")]
    [InlineData("fail/underscore", "my_hub")]
    [InlineData("fail/too-long", "h12345678901234567890123456789012345678901234567890")]
    public async Task BadHubNamesAreRefused(string label, string name)
    {
        var response = await Client.PutAsync(Client.HubPath(Group, name), S1Hub());
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{label}: {response}");
        Assert.Equal("InvalidResourceName", response.ErrorCode);
        Assert.Contains(name, response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnsupportedRegionIsRefusedWithTheSupportedOnes()
    {
        var path = Client.HubPath(Group, "far-away-hub");
        var response = await Client.PutAsync(path, S1Hub("japaneast"));
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.ToString());
        Assert.Equal("LocationNotAvailableForResourceType", response.ErrorCode);
        Assert.Contains("japaneast", response.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("westeurope", response.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(path)).Status);
    }

    [Fact]
    public async Task TheMinimumTlsVersionCannotChangeAfterCreation()
    {
        var path = Client.HubPath(Group, "tls-hub");
        await Client.PollAsync(await Client.PutAsync(path, S1Hub()));
        var change = await Client.PutAsync(path, S1Hub(minTlsVersion: "1.0"));
        Assert.True(change.Status == HttpStatusCode.BadRequest, change.ToString());
        Assert.Equal("PropertyChangeNotAllowed", change.ErrorCode);
        Assert.Contains("minTlsVersion", change.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("1.2", (await Client.GetAsync(path)).Body!["properties"]!["minTlsVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("fail/device-update", "Microsoft.DeviceUpdate/accounts/my-updates", "2023-07-01", "Device Update")]
    [InlineData("fail/defender", "Microsoft.Security/iotSecuritySolutions/my-defender", "2019-08-01", "Defender")]
    public async Task AddOnsAreRefusedAsNotProvided(string label, string resource, string apiVersion, string name)
    {
        var response = await Client.PutAsync($"{Client.ResourceGroupPath(Group)}/providers/{resource}", new { location = "eastus" }, apiVersion);
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{label}: {response}");
        Assert.Equal("FeatureNotProvided", response.ErrorCode);
        Assert.Contains(name, response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHubNameTakenInAnotherSubscriptionIsRefused()
    {
        await Client.PollAsync(await Client.PutAsync(Client.HubPath(Group, "shared-name-hub"), S1Hub()));
        var alias = await Client.PutAsync("/providers/Microsoft.Subscription/aliases/second-subscription", new { properties = new { displayName = "Second", workload = "Production" } }, "2021-10-01");
        Assert.True(alias.Status == HttpStatusCode.Created, alias.ToString());
        var second = alias.Body!["properties"]!["subscriptionId"]!.GetValue<string>();
        await Client.PutAsync($"/subscriptions/{second}/resourceGroups/other-rg", new { location = "eastus" });

        var duplicate = await Client.PutAsync($"/subscriptions/{second}/resourceGroups/other-rg/providers/Microsoft.Devices/IotHubs/shared-name-hub", S1Hub());
        Assert.True(duplicate.Status == HttpStatusCode.Conflict, duplicate.ToString());
        Assert.Equal("NameUnavailable", duplicate.ErrorCode);
        Assert.Contains("shared-name-hub", duplicate.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/subscriptions/{second}/resourceGroups/other-rg/providers/Microsoft.Devices/IotHubs/shared-name-hub")).Status);
        var availability = await Client.PostAsync($"/subscriptions/{second}/providers/Microsoft.Devices/checkNameAvailability", new { name = "shared-name-hub" }, ManagementClient.HubApiVersion);
        Assert.False(availability.Body!["nameAvailable"]!.GetValue<bool>());
        Assert.Equal("AlreadyExists", availability.Body!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALinkedHubWhosePolicyLacksRightsIsRefused()
    {
        var hubPath = Client.HubPath(Group, "rights-hub");
        await Client.PollAsync(await Client.PutAsync(hubPath, S1Hub()));
        var read = await Client.PostAsync(hubPath + "/IotHubKeys/registryRead/listkeys", new { });
        var connectionString = $"HostName=rights-hub.outpost.localhost;SharedAccessKeyName=registryRead;SharedAccessKey={read.Body!["primaryKey"]!.GetValue<string>()}";
        var dpsPath = Client.DpsPath(Group, "rights-dps");
        var refused = await Client.PutAsync(dpsPath, new { location = "eastus", sku = new { name = "S1", capacity = 1 }, properties = new { iotHubs = new[] { new { connectionString, location = "eastus" } } } });
        Assert.True(refused.Status == HttpStatusCode.BadRequest, refused.ToString());
        Assert.Contains("registryRead", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("RegistryWrite", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(dpsPath)).Status);

        var wrongKey = connectionString.Replace("registryRead;", "iothubowner;", StringComparison.Ordinal);
        var unauthenticated = await Client.PutAsync(dpsPath, new { location = "eastus", sku = new { name = "S1", capacity = 1 }, properties = new { iotHubs = new[] { new { connectionString = wrongKey, location = "eastus" } } } });
        Assert.True(unauthenticated.Status == HttpStatusCode.BadRequest, unauthenticated.ToString());
        Assert.Contains("does not authenticate", unauthenticated.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReaderCannotWriteButCanRead()
    {
        // A service principal made the way `az ad sp create-for-rbac` makes one, given Reader on the subscription.
        var principal = await Client.CreateServicePrincipalAsync("reader-app");
        await Client.AssignRoleAsync($"/subscriptions/{Client.SubscriptionId}", ManagementClient.Roles.Reader, principal.ObjectId);

        using var reader = new ManagementClient(fixture.Server);
        await reader.SignInAsAsync(principal.AppId, principal.Secret);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(reader.ResourceGroupPath(Group))).Status);
        var write = await reader.PutAsync(reader.HubPath(Group, "reader-hub"), S1Hub());
        Assert.True(write.Status == HttpStatusCode.Forbidden, write.ToString());
        Assert.Equal("AuthorizationFailed", write.ErrorCode);
        Assert.Contains("Microsoft.Devices/IotHubs/write", write.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(reader.HubPath(Group, "reader-hub"), write.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(Client.HubPath(Group, "reader-hub"))).Status);
    }

    private static object S1Hub(string location = "eastus", string minTlsVersion = "1.2") =>
        new { location, sku = new { name = "S1", capacity = 1 }, properties = new { minTlsVersion } };
}
