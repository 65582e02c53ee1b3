using System.Net;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Bootstrap;

/// <summary>The first start writes the trust anchor and admin credentials; a second start reuses them and everything stored.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task FirstStartBootstrapsTheDataDirectoryAndASecondStartReusesIt()
    {
        string dataDirectory;
        string caPem;
        string adminJson;
        await using (var first = await OutpostServer.StartAsync())
        {
            dataDirectory = first.DataDirectory;
            caPem = await File.ReadAllTextAsync(first.CaPemPath);
            adminJson = await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin.json"));
            Assert.Contains("BEGIN CERTIFICATE", caPem, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, "admin.json")));

            using var client = new ManagementClient(first);
            await client.SignInAsync();
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(client.ResourceGroupPath("kept-rg"), new { location = "eastus" })).Status);
            await first.StopAsync();
        }

        await using var second = await OutpostServer.StartAsync(dataDirectory);
        Assert.Equal(caPem, await File.ReadAllTextAsync(second.CaPemPath));
        Assert.Equal(adminJson, await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin.json")));
        using var again = new ManagementClient(second);
        await again.SignInAsync();
        var kept = await again.GetAsync(again.ResourceGroupPath("kept-rg"));
        Assert.True(kept.Status == HttpStatusCode.OK, $"The resource group acknowledged before the restart is gone: {kept}");
        Assert.DoesNotContain("First start", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAnswersOnceTheListenersAreUp()
    {
        await using var server = await OutpostServer.StartAsync();
        using var client = new ManagementClient(server);
        var health = await client.SendAsync(HttpMethod.Get, "/healthz", null, apiVersion: "none");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(server.MqttPort, health.Body!["mqttPort"]!.GetValue<int>());
    }
}
