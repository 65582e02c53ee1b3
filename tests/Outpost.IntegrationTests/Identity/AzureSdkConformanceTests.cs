using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Identity;

/// <summary>Official Azure SDK packages from npm, unchanged, against the real server: they are the conformance oracle.</summary>
public sealed class AzureSdkConformanceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ClientSecretCredentialGetsATokenTheManagementApiAccepts()
    {
        var output = await NodeConformance.RunAsync(fixture.Server, "identity-token.mjs");
        Assert.Contains($"subscription {fixture.Server.Admin.SubscriptionId} Enabled", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArmResourcesClientManagesResourceGroups()
    {
        var output = await NodeConformance.RunAsync(fixture.Server, "resource-groups.mjs");
        Assert.Contains("created, read, listed, tagged and deleted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArmResourcesClientWalksTheNamespaceAndPolicySteps()
    {
        var output = await NodeConformance.RunAsync(fixture.Server, "device-registry.mjs");
        Assert.Contains("deletes all passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IotHubAndDpsClientsCreateListKeysAndDelete()
    {
        var output = await NodeConformance.RunAsync(fixture.Server, "hub-and-dps.mjs");
        Assert.Contains("created, listed keys, tagged and deleted", output, StringComparison.Ordinal);
    }
}
