using System.Net;
using System.Security.Cryptography;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Security;

/// <summary>A whole run's log, through CA creation, issuance and refusals, holds no private key and no secret.</summary>
public sealed class LogSecrecyTests
{
    [Fact]
    public async Task AWholeRunLogsNoPrivateKeyMaterial()
    {
        var server = await OutpostServer.StartAsync();
        var secret = server.Admin.ClientSecret;
        try
        {
            using var client = new ManagementClient(server);
            await client.SignInAsync();
            await client.PutAsync(client.ResourceGroupPath("secrecy-rg"), new { location = "eastus" });
            await client.PollAsync(await client.PutAsync(client.NamespacePath("secrecy-rg", "secrecy"), new { location = "eastus", identity = new { type = "SystemAssigned" } }));
            var issued = await client.PostAsync(client.IssuePath("secrecy-rg", "secrecy", "device-1", "default"),
                new { csr = Convert.ToBase64String(DeviceKeys.EcCsr("device-1", ECCurve.NamedCurves.nistP256)) });
            Assert.Equal(HttpStatusCode.Accepted, issued.Status);
            await client.PostAsync(client.IssuePath("secrecy-rg", "secrecy", "device-1", "default"), new { csr = Convert.ToBase64String(DeviceKeys.RsaCsr("device-1")) });
            await client.DeleteAsync(client.NamespacePath("secrecy-rg", "secrecy"));
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.Contains("Outpost ready", server.Output, StringComparison.Ordinal);
        LogScan.AssertNoSecrets(server.Output, server.DataDirectory, secret);
    }
}
