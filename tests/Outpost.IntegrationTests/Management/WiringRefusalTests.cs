using System.Net;
using Outpost.IntegrationTests.Support;
using Roles = Outpost.IntegrationTests.Support.ManagementClient.Roles;

namespace Outpost.IntegrationTests.Management;

/// <summary>
/// Each role the walkthrough assigns is checked where Azure needs it; a missing one fails with the role, the
/// principal and the scope in the message, and nothing is created.
/// </summary>
public sealed class WiringRefusalTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ManagementClient Client => fixture.Client;

    [Theory]
    [InlineData("fail/identity-lacks-adr-contributor", "Azure Device Registry Contributor")]
    [InlineData("fail/identity-lacks-adr-onboarding", "Azure Device Registry Onboarding")]
    [InlineData("fail/iot-hub-principal-lacks-contributor", "Contributor")]
    public async Task LinkingAHubWithoutARoleIsRefused(string label, string missingRole)
    {
        var setup = await WireAsync(label[5..],
            identityOnNamespace: missingRole switch
            {
                "Azure Device Registry Contributor" => [Roles.DeviceRegistryOnboarding],
                "Azure Device Registry Onboarding" => [Roles.DeviceRegistryContributor],
                _ => [Roles.DeviceRegistryOnboarding, Roles.DeviceRegistryContributor],
            },
            iotHubPrincipalOnGroup: missingRole != "Contributor");

        var hubPath = Client.HubPath(setup.Group, $"{setup.Group}-hub");
        var refused = await Client.PutAsync(hubPath, WalkthroughSetupTests.HubBody(setup.IdentityPath, setup.NamespacePath));
        Assert.True(refused.Status == HttpStatusCode.Forbidden, $"{label}: {refused}");
        Assert.Equal("LinkedAuthorizationFailed", refused.ErrorCode);
        Assert.Contains($"'{missingRole}'", refused.ErrorMessage, StringComparison.Ordinal);
        var principal = missingRole == "Contributor" ? Roles.AzureIotHubPrincipal : setup.IdentityPrincipal;
        Assert.Contains(principal, refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(missingRole == "Contributor" ? Client.ResourceGroupPath(setup.Group) : setup.NamespacePath, refused.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(hubPath)).Status);
        Assert.True((await Client.PostAsync($"/subscriptions/{Client.SubscriptionId}/providers/Microsoft.Devices/checkNameAvailability", new { name = $"{setup.Group}-hub" }, ManagementClient.HubApiVersion))
            .Body!["nameAvailable"]!.GetValue<bool>(), $"{label}: a refused hub must not keep its name");
    }

    [Theory]
    [InlineData("fail/namespace-lacks-contributor", "Contributor")]
    [InlineData("fail/namespace-lacks-registry-contributor", "IoT Hub Registry Contributor")]
    public async Task SynchronizingWithoutARoleOnTheHubIsRefused(string label, string missingRole)
    {
        var setup = await WireAsync(label[5..], [Roles.DeviceRegistryOnboarding, Roles.DeviceRegistryContributor], iotHubPrincipalOnGroup: true);
        var hubPath = Client.HubPath(setup.Group, $"{setup.Group}-hub");
        await Client.PollAsync(await Client.PutAsync(hubPath, WalkthroughSetupTests.HubBody(setup.IdentityPath, setup.NamespacePath)));
        await Client.AssignRoleAsync(hubPath, missingRole == "Contributor" ? Roles.IotHubRegistryContributor : Roles.Contributor, setup.NamespacePrincipal);

        var refused = await Client.PostAsync($"{setup.NamespacePath}/credentials/default/synchronize", new { });
        Assert.True(refused.Status == HttpStatusCode.Forbidden, $"{label}: {refused}");
        Assert.Equal("LinkedAuthorizationFailed", refused.ErrorCode);
        Assert.Contains($"'{missingRole}'", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(setup.NamespacePrincipal, refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(hubPath, refused.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await Client.GetAsync(hubPath + "/certificates")).Body!["value"]!.AsArray());
    }

    [Fact]
    public async Task LinkingAProvisioningServiceWithoutOnboardingIsRefused()
    {
        var setup = await WireAsync("dps-lacks-onboarding", [Roles.DeviceRegistryContributor], iotHubPrincipalOnGroup: true);
        var dpsPath = Client.DpsPath(setup.Group, "dps-lacks-onboarding");
        var refused = await Client.PutAsync(dpsPath, WalkthroughSetupTests.DpsBody(setup.IdentityPath, setup.NamespacePath, hubs: null));
        Assert.True(refused.Status == HttpStatusCode.Forbidden, refused.ToString());
        Assert.Equal("LinkedAuthorizationFailed", refused.ErrorCode);
        Assert.Contains("'Azure Device Registry Onboarding'", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(setup.IdentityPrincipal, refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(dpsPath)).Status);
    }

    /// <summary>A resource group with a namespace and an identity, and only the roles a case asks for.</summary>
    private async Task<Wiring> WireAsync(string name, string[] identityOnNamespace, bool iotHubPrincipalOnGroup)
    {
        var group = name;
        await Client.PutAsync(Client.ResourceGroupPath(group), new { location = "eastus" });
        var namespacePath = Client.NamespacePath(group, $"{name}-ns");
        await Client.PollAsync(await Client.PutAsync(namespacePath, new { location = "eastus", identity = new { type = "SystemAssigned" } }));
        var namespacePrincipal = (await Client.GetAsync(namespacePath)).Body!["identity"]!["principalId"]!.GetValue<string>();
        var identityPath = Client.IdentityPath(group, $"{name}-identity");
        var identityPrincipal = (await Client.PutAsync(identityPath, new { location = "eastus" })).Body!["properties"]!["principalId"]!.GetValue<string>();
        foreach (var role in identityOnNamespace)
        {
            await Client.AssignRoleAsync(namespacePath, role, identityPrincipal);
        }

        if (iotHubPrincipalOnGroup)
        {
            await Client.AssignRoleAsync(Client.ResourceGroupPath(group), Roles.Contributor, Roles.AzureIotHubPrincipal);
        }

        return new Wiring(group, namespacePath, namespacePrincipal, identityPath, identityPrincipal);
    }

    private sealed record Wiring(string Group, string NamespacePath, string NamespacePrincipal, string IdentityPath, string IdentityPrincipal);
}
