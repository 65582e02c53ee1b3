using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Management;

/// <summary>The walkthrough's first steps over real HTTPS: resource group, namespace with its CA, a custom policy, issuance.</summary>
public sealed class NamespaceWalkthroughTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ManagementClient Client => fixture.Client;

    [Fact]
    public async Task NamespaceToIssuedCertificateFollowsTheWalkthrough()
    {
        var group = Client.ResourceGroupPath("walkthrough-rg");
        var created = await Client.PutAsync(group, new { location = "eastus" });
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());

        // Namespace with a system-assigned identity: ARM's LRO answer, then polling to Succeeded.
        var ns = Client.NamespacePath("walkthrough-rg", "msft-namespace");
        var put = await Client.PutAsync(ns, new { location = "eastus", identity = new { type = "SystemAssigned" } });
        Assert.True(put.Status == HttpStatusCode.Created, put.ToString());
        Assert.True(put.Headers.Contains("Azure-AsyncOperation"), "A 201 from a long-running PUT carries Azure-AsyncOperation.");
        var status = await Client.PollAsync(put);
        Assert.Equal("Succeeded", status.Body!["status"]!.GetValue<string>());
        var namespaceBody = (await Client.GetAsync(ns)).Body!;
        Assert.Equal("SystemAssigned", namespaceBody["identity"]!["type"]!.GetValue<string>());
        Assert.True(Guid.TryParse(namespaceBody["identity"]!["principalId"]!.GetValue<string>(), out _), namespaceBody.ToJsonString());
        Assert.Equal("Succeeded", namespaceBody["properties"]!["provisioningState"]!.GetValue<string>());

        // The credential and the default policy appear with it.
        var credential = await Client.GetAsync($"{ns}/credentials/default");
        Assert.True(credential.Status == HttpStatusCode.OK, credential.ToString());
        Assert.Equal("Microsoft.DeviceRegistry/namespaces/credentials", credential.Body!["type"]!.GetValue<string>());
        var defaultPolicy = await Client.GetAsync(Client.PolicyPath("walkthrough-rg", "msft-namespace", "default"));
        Assert.True(defaultPolicy.Status == HttpStatusCode.OK, defaultPolicy.ToString());
        Assert.Equal("ECC", defaultPolicy.Body!["properties"]!["certificate"]!["certificateAuthorityConfiguration"]!["keyType"]!.GetValue<string>());

        // A custom policy, then an edit of its validity, then a refused edit of its key type.
        var policy = Client.PolicyPath("walkthrough-rg", "msft-namespace", "custom-policy");
        var policyPut = await Client.PutAsync(policy, new { properties = new { certificate = new { certificateAuthorityConfiguration = new { keyType = "ECC" }, leafCertificateConfiguration = new { validityPeriodInDays = 30 } } } });
        Assert.True(policyPut.Status == HttpStatusCode.Created, policyPut.ToString());
        await Client.PollAsync(policyPut);
        var listed = await Client.GetAsync($"{ns}/credentials/default/policies");
        Assert.Equal(2, listed.Body!["value"]!.AsArray().Count);

        var patch = await Client.PatchAsync(policy, new { properties = new { certificate = new { leafCertificateConfiguration = new { validityPeriodInDays = 60 } } } });
        Assert.True(patch.Status == HttpStatusCode.Accepted, patch.ToString());
        Assert.Equal("Succeeded", (await Client.PollAsync(patch)).Body!["status"]!.GetValue<string>());
        // The final state of a PATCH is read from its Location, as the spec's final-state-via says.
        var patched = await Client.FollowAsync(patch.Headers.Location!.ToString());
        Assert.True(patched.Status == HttpStatusCode.OK, patched.ToString());
        Assert.Equal(60, patched.Body!["properties"]!["certificate"]!["leafCertificateConfiguration"]!["validityPeriodInDays"]!.GetValue<int>());

        var keyTypePatch = await Client.PatchAsync(policy, new { properties = new { certificate = new { certificateAuthorityConfiguration = new { keyType = "RSA" } } } });
        Assert.True(keyTypePatch.Status == HttpStatusCode.BadRequest, keyTypePatch.ToString());
        Assert.Equal("PropertyChangeNotAllowed", keyTypePatch.ErrorCode);
        Assert.Contains("keyType", keyTypePatch.ErrorMessage, StringComparison.Ordinal);
        var afterRefusal = await Client.GetAsync(policy);
        Assert.Equal("ECC", afterRefusal.Body!["properties"]!["certificate"]!["certificateAuthorityConfiguration"]!["keyType"]!.GetValue<string>());
        Assert.Equal(60, afterRefusal.Body!["properties"]!["certificate"]!["leafCertificateConfiguration"]!["validityPeriodInDays"]!.GetValue<int>());

        // A device CSR is issued a certificate from the custom policy; openssl accepts the chain against the root.
        var csr = DeviceKeys.EcCsr("device-01", ECCurve.NamedCurves.nistP384);
        var issue = await Client.PostAsync(Client.IssuePath("walkthrough-rg", "msft-namespace", "device-01", "custom-policy"), new { csr = Convert.ToBase64String(csr) });
        Assert.True(issue.Status == HttpStatusCode.Accepted, issue.ToString());
        var operation = await Client.FollowAsync(issue.Headers.GetValues("Operation-Location").Single());
        Assert.Equal("Succeeded", operation.Body!["status"]!.GetValue<string>());
        var chain = operation.Body!["result"]!["issuedCertificateChain"]!.AsArray().Select(item => Convert.FromBase64String(item!.GetValue<string>())).ToList();
        Assert.Equal(3, chain.Count);

        using var leaf = X509CertificateLoader.LoadCertificate(chain[0]);
        Assert.Equal("CN=device-01", leaf.Subject);
        Assert.InRange((leaf.NotAfter - leaf.NotBefore).TotalDays, 59.9, 60.1);
        using var issuing = X509CertificateLoader.LoadCertificate(chain[1]);
        Assert.Equal(afterRefusal.Body!["properties"]!["certificate"]!["certificateAuthorityConfiguration"]!["subject"]!.GetValue<string>(), issuing.Subject);
        var (exitCode, output) = await DeviceKeys.OpensslVerifyAsync(chain);
        Assert.True(exitCode == 0, $"openssl verify refused the chain: {output}");
        Assert.Contains("OK", output, StringComparison.Ordinal);

        // The issuance left its audit record before the chain was handed out.
        var audit = AuditLog.Read(fixture.Server.DataDirectory, leaf.SerialNumber);
        Assert.NotNull(audit);
        Assert.Equal("CN=device-01", audit.Subject);
        Assert.Equal(fixture.Server.Admin.ClientId, audit.Requester);
        Assert.EndsWith("/credentials/default/policies/custom-policy", audit.PolicyId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingTheResourceGroupRemovesTheNamespaceAndItsPolicies()
    {
        await Client.PutAsync(Client.ResourceGroupPath("short-lived-rg"), new { location = "westeurope" });
        var ns = Client.NamespacePath("short-lived-rg", "short-lived");
        await Client.PollAsync(await Client.PutAsync(ns, new { location = "westeurope", identity = new { type = "SystemAssigned" } }));

        var deleted = await Client.DeleteAsync(Client.ResourceGroupPath("short-lived-rg"));
        Assert.True(deleted.Status == HttpStatusCode.Accepted, deleted.ToString());
        await Client.PollAsync(deleted);

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(Client.ResourceGroupPath("short-lived-rg"))).Status);
        await Client.PutAsync(Client.ResourceGroupPath("short-lived-rg"), new { location = "westeurope" });
        var gone = await Client.GetAsync(Client.PolicyPath("short-lived-rg", "short-lived", "default"));
        Assert.True(gone.Status == HttpStatusCode.NotFound, gone.ToString());
    }
}
