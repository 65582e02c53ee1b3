using System.Net;
using System.Security.Cryptography;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Bootstrap;

/// <summary>What the API acknowledged survives the process being killed right after the answer.</summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public async Task AcknowledgedWritesSurviveAKill()
    {
        var server = await OutpostServer.StartAsync();
        using (var client = new ManagementClient(server))
        {
            await client.SignInAsync();
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(client.ResourceGroupPath("durable-rg"), new { location = "eastus" })).Status);
            var ns = await client.PutAsync(client.NamespacePath("durable-rg", "durable"), new { location = "eastus", identity = new { type = "SystemAssigned" } });
            Assert.Equal(HttpStatusCode.Created, ns.Status);
        }

        await server.CrashAsync();

        await using var restarted = await OutpostServer.StartAsync(server.DataDirectory);
        using var again = new ManagementClient(restarted);
        await again.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(again.ResourceGroupPath("durable-rg"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(again.PolicyPath("durable-rg", "durable", "default"))).Status);

        // The CA keys committed with the namespace still open and sign after the crash.
        var issued = await again.PostAsync(again.IssuePath("durable-rg", "durable", "device-9", "default"),
            new { csr = Convert.ToBase64String(DeviceKeys.EcCsr("device-9", ECCurve.NamedCurves.nistP256)) });
        Assert.True(issued.Status == HttpStatusCode.Accepted, issued.ToString());
    }
}
