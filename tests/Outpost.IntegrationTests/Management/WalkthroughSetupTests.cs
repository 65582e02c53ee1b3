using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.IntegrationTests.Support;
using Roles = Outpost.IntegrationTests.Support.ManagementClient.Roles;

namespace Outpost.IntegrationTests.Management;

/// <summary>
/// The portal walkthrough's whole setup through the management API, in its order, ending with a hub that trusts the
/// policy's issuing CA.
/// </summary>
public sealed class WalkthroughSetupTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Group = "setup-rg";

    private ManagementClient Client => fixture.Client;

    [Fact]
    public async Task TheWalkthroughsSetupEndsWithAHubTrustingThePolicysIssuingCa()
    {
        // Resource group, then the namespace with its system-assigned identity; its principalId is copied for later.
        await Client.PutAsync(Client.ResourceGroupPath(Group), new { location = "eastus" });
        var nsPath = Client.NamespacePath(Group, "msft-namespace");
        await Client.PollAsync(await Client.PutAsync(nsPath, new { location = "eastus", identity = new { type = "SystemAssigned" } }));
        var namespacePrincipal = (await Client.GetAsync(nsPath)).Body!["identity"]!["principalId"]!.GetValue<string>();

        // A user-assigned identity, given Azure Device Registry Onboarding and Contributor on the namespace.
        var identityPath = Client.IdentityPath(Group, "hub-identity");
        var identity = await Client.PutAsync(identityPath, new { location = "eastus" });
        Assert.True(identity.Status == HttpStatusCode.Created, identity.ToString());
        var identityPrincipal = identity.Body!["properties"]!["principalId"]!.GetValue<string>();
        await Client.AssignRoleAsync(nsPath, Roles.DeviceRegistryOnboarding, identityPrincipal);
        await Client.AssignRoleAsync(nsPath, Roles.DeviceRegistryContributor, identityPrincipal);
        // The prerequisite: the Azure IoT Hub service principal is Contributor on the resource group.
        await Client.AssignRoleAsync(Client.ResourceGroupPath(Group), Roles.Contributor, Roles.AzureIotHubPrincipal);

        // A custom policy.
        var policyPath = Client.PolicyPath(Group, "msft-namespace", "custom-policy");
        await Client.PollAsync(await Client.PutAsync(policyPath, new { properties = new { certificate = new { leafCertificateConfiguration = new { validityPeriodInDays = 45 } } } }));

        // The hub, Preview (GEN2) tier, linked to the namespace with the user-assigned identity.
        var hubPath = Client.HubPath(Group, "msft-hub");
        var hubBody = HubBody(identityPath, nsPath);
        var hub = await Client.PutAsync(hubPath, hubBody);
        Assert.True(hub.Status == HttpStatusCode.Created, hub.ToString());
        Assert.Equal("Succeeded", (await Client.PollAsync(hub)).Body!["status"]!.GetValue<string>());
        hub = await Client.GetAsync(hubPath);
        Assert.Equal("Generation2", hub.Body!["sku"]!["tier"]!.GetValue<string>());
        Assert.Equal("msft-hub.outpost.localhost", hub.Body!["properties"]!["hostName"]!.GetValue<string>());
        Assert.Equal(identityPrincipal, hub.Body!["identity"]!["userAssignedIdentities"]!.AsObject().Single().Value!["principalId"]!.GetValue<string>());
        var endpoints = (await Client.GetAsync(nsPath)).Body!["properties"]!["messaging"]!["endpoints"]!.AsObject();
        Assert.Equal(hub.Body!["id"]!.GetValue<string>(), endpoints["msft-hub"]!["resourceId"]!.GetValue<string>());

        // Associating the identity with the hub again (the portal's Identity pane) changes nothing.
        var associated = await Client.PutAsync(hubPath, hubBody);
        Assert.True(associated.Status == HttpStatusCode.OK, associated.ToString());

        // The namespace's principal gets Contributor and IoT Hub Registry Contributor on the hub.
        await Client.AssignRoleAsync(hubPath, Roles.Contributor, namespacePrincipal);
        await Client.AssignRoleAsync(hubPath, Roles.IotHubRegistryContributor, namespacePrincipal);

        // The DPS instance, linked to the namespace with the identity, and to the hub with iothubowner.
        var dpsPath = Client.DpsPath(Group, "msft-dps");
        var dps = await Client.PutAsync(dpsPath, DpsBody(identityPath, nsPath, hubs: null));
        Assert.True(dps.Status == HttpStatusCode.Created, dps.ToString());
        await Client.PollAsync(dps);
        var keys = await Client.PostAsync(hubPath + "/listkeys", new { });
        var owner = keys.Body!["value"]!.AsArray().Single(rule => rule!["keyName"]!.GetValue<string>() == "iothubowner")!;
        var connectionString = $"HostName=msft-hub.outpost.localhost;SharedAccessKeyName=iothubowner;SharedAccessKey={owner["primaryKey"]!.GetValue<string>()}";
        var linked = await Client.PutAsync(dpsPath, DpsBody(identityPath, nsPath, [new { connectionString, location = "eastus" }]));
        Assert.True(linked.Status == HttpStatusCode.OK, linked.ToString());
        var linkedHub = linked.Body!["properties"]!["iotHubs"]!.AsArray().Single()!;
        Assert.Equal("msft-hub.outpost.localhost", linkedHub["name"]!.GetValue<string>());
        Assert.DoesNotContain(owner["primaryKey"]!.GetValue<string>(), linked.Text, StringComparison.Ordinal);
        Assert.Matches("^0ne[0-9A-F]{8}$", linked.Body!["properties"]!["idScope"]!.GetValue<string>());

        // Sync all: every policy's issuing CA lands in the hub as a certificate that names its policy.
        var sync = await Client.PostAsync($"{nsPath}/credentials/default/synchronize", new { });
        Assert.True(sync.Status == HttpStatusCode.Accepted, sync.ToString());
        Assert.Equal("Succeeded", (await Client.PollAsync(sync)).Body!["status"]!.GetValue<string>());
        var certificates = (await Client.GetAsync(hubPath + "/certificates")).Body!["value"]!.AsArray();
        var synced = certificates.Single(certificate => certificate!["name"]!.GetValue<string>() == "custom-policy")!;
        Assert.Equal((await Client.GetAsync(policyPath)).Body!["id"]!.GetValue<string>(), synced["properties"]!["policyResourceId"]!.GetValue<string>());
        Assert.Contains(certificates, certificate => certificate!["name"]!.GetValue<string>() == "default");

        // The certificate the hub now trusts is the issuing CA that signs this policy's device certificates.
        var issued = await Client.PostAsync(Client.IssuePath(Group, "msft-namespace", "device-42", "custom-policy"),
            new { csr = Convert.ToBase64String(DeviceKeys.EcCsr("device-42", ECCurve.NamedCurves.nistP256)) });
        using var issuing = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(issued.Body!["result"]!["issuedCertificateChain"]![1]!.GetValue<string>()));
        Assert.Equal(issuing.Thumbprint, synced["properties"]!["thumbprint"]!.GetValue<string>());

        // A second sync is repeatable and leaves the same trust.
        await Client.PollAsync(await Client.PostAsync($"{nsPath}/credentials/default/synchronize", new { }));
        Assert.Equal(certificates.Count, (await Client.GetAsync(hubPath + "/certificates")).Body!["value"]!.AsArray().Count);
    }

    internal static object HubBody(string identityPath, string namespacePath, string sku = "GEN2", string location = "eastus", string minTlsVersion = "1.2") => new
    {
        location,
        sku = new { name = sku, capacity = 1 },
        identity = new { type = "UserAssigned", userAssignedIdentities = new Dictionary<string, object> { [identityPath] = new { } } },
        properties = new
        {
            minTlsVersion,
            deviceRegistry = new { namespaceResourceId = namespacePath, identityResourceId = identityPath },
        },
    };

    internal static object DpsBody(string identityPath, string namespacePath, object[]? hubs) => new
    {
        location = "eastus",
        sku = new { name = "S1", capacity = 1 },
        identity = new { type = "UserAssigned", userAssignedIdentities = new Dictionary<string, object> { [identityPath] = new { } } },
        properties = new
        {
            iotHubs = hubs,
            deviceRegistryNamespace = new { resourceId = namespacePath, authenticationType = "UserAssigned", selectedUserAssignedIdentityResourceId = identityPath },
        },
    };
}
