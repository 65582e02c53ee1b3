using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Outpost.Core.SharedAccess;
using Outpost.IntegrationTests.Management;
using Roles = Outpost.IntegrationTests.Support.ManagementClient.Roles;

namespace Outpost.IntegrationTests.Support;

/// <summary>
/// The walkthrough's topology: a namespace, a GEN2 hub linked to it with the roles that needs, its policies synced
/// into the hub ("Sync all"), and a DPS instance linked to both with a symmetric-key group "fleet" issuing from the
/// default policy. <see cref="RegisterAsync"/> onboards a device with a CSR and hands back its issued certificate.
/// </summary>
internal sealed record LinkedHubSetup(HubSetup Hub, string NamespacePath, string IdScope, string GroupKey)
{
    public static async Task<LinkedHubSetup> CreateAsync(ManagementClient client, string group)
    {
        await client.PutAsync(client.ResourceGroupPath(group), new { location = "eastus" });
        var namespacePath = client.NamespacePath(group, $"{group}-ns");
        await client.PollAsync(await client.PutAsync(namespacePath, new { location = "eastus", identity = new { type = "SystemAssigned" } }));
        var namespacePrincipal = (await client.GetAsync(namespacePath)).Body!["identity"]!["principalId"]!.GetValue<string>();
        var identityPath = client.IdentityPath(group, $"{group}-identity");
        var identityPrincipal = (await client.PutAsync(identityPath, new { location = "eastus" })).Body!["properties"]!["principalId"]!.GetValue<string>();
        await client.AssignRoleAsync(namespacePath, Roles.DeviceRegistryOnboarding, identityPrincipal);
        await client.AssignRoleAsync(namespacePath, Roles.DeviceRegistryContributor, identityPrincipal);
        await client.AssignRoleAsync(client.ResourceGroupPath(group), Roles.Contributor, Roles.AzureIotHubPrincipal);

        var hubPath = client.HubPath(group, $"{group}-hub");
        var hub = await client.PutAsync(hubPath, WalkthroughSetupTests.HubBody(identityPath, namespacePath));
        Assert.True(hub.Status == HttpStatusCode.Created, hub.ToString());
        await client.AssignRoleAsync(hubPath, Roles.Contributor, namespacePrincipal);
        await client.AssignRoleAsync(hubPath, Roles.IotHubRegistryContributor, namespacePrincipal);
        var hostName = hub.Body!["properties"]!["hostName"]!.GetValue<string>();
        var ownerKey = (await client.PostAsync(hubPath + "/IotHubKeys/iothubowner/listkeys", new { })).Body!["primaryKey"]!.GetValue<string>();
        var hubSetup = new HubSetup(hubPath, hostName, ownerKey);

        var dpsPath = client.DpsPath(group, $"{group}-dps");
        var dps = await client.PutAsync(dpsPath, WalkthroughSetupTests.DpsBody(identityPath, namespacePath, [new { connectionString = hubSetup.ConnectionString, location = "eastus" }]));
        Assert.True(dps.Status == HttpStatusCode.Created, dps.ToString());
        var sync = await client.PollAsync(await client.PostAsync($"{namespacePath}/credentials/default/synchronize", new { }));
        Assert.True(sync.Body!["status"]!.GetValue<string>() == "Succeeded", sync.ToString());

        var serviceHost = dps.Body!["properties"]!["serviceOperationsHostName"]!.GetValue<string>();
        var dpsKey = (await client.PostAsync(dpsPath + "/listkeys", new { })).Body!["value"]![0]!["primaryKey"]!.GetValue<string>();
        using var service = new HostClient(client.Server, serviceHost);
        var token = SharedAccessSignature.Create(serviceHost, dpsKey, "provisioningserviceowner", DateTimeOffset.UtcNow.AddHours(1));
        var fleet = await service.SendAsync(HttpMethod.Put, $"/enrollmentGroups/fleet?{RegistrationFixture.Api}", token,
            new { enrollmentGroupId = "fleet", attestation = new { type = "symmetricKey" }, credentialPolicyName = "default" });
        Assert.True(fleet.Status == HttpStatusCode.OK, fleet.ToString());
        return new LinkedHubSetup(hubSetup, namespacePath, dps.Body!["properties"]!["idScope"]!.GetValue<string>(),
            fleet.Body!["attestation"]!["symmetricKey"]!["primaryKey"]!.GetValue<string>());
    }

    /// <summary>Registers <paramref name="deviceId"/> over DPS HTTPS with a P-256 CSR; returns its issued certificate (with key) and the issuing CA.</summary>
    public async Task<(X509Certificate2 Certificate, X509Certificate2 IssuingCa)> RegisterAsync(OutpostServer server, string deviceId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={deviceId}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var deviceKey = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(GroupKey), Encoding.UTF8.GetBytes(deviceId)));
        var token = SharedAccessSignature.Create($"{IdScope}/registrations/{deviceId}", deviceKey, "registration", DateTimeOffset.UtcNow.AddHours(1));
        using var dps = new HostClient(server, "global.dps.outpost.localhost");
        var register = await dps.SendAsync(HttpMethod.Put, $"/{IdScope}/registrations/{deviceId}/register?{RegistrationFixture.Api}", token,
            new { registrationId = deviceId, csr = Convert.ToBase64String(csr) });
        Assert.True(register.Status == HttpStatusCode.Accepted, register.ToString());
        var operation = await dps.SendAsync(HttpMethod.Get, $"/{IdScope}/registrations/{deviceId}/operations/{register.Body!["operationId"]}?{RegistrationFixture.Api}", token);
        var chain = operation.Body!["registrationState"]!["issuedCertificateChain"]!.AsArray().Select(item => Convert.FromBase64String(item!.GetValue<string>())).ToList();
        using var leaf = X509CertificateLoader.LoadCertificate(chain[0]);
        using var withKey = leaf.CopyWithPrivateKey(key);
        return (X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable), X509CertificateLoader.LoadCertificate(chain[1]));
    }
}
