namespace Outpost.IntegrationTests.Support;

/// <summary>One server per test class, signed in as the bootstrap admin; on teardown it must stop cleanly and its log must hold no secret.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal OutpostServer Server { get; private set; } = null!;

    internal ManagementClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await OutpostServer.StartAsync();
        Client = new ManagementClient(Server);
        await Client.SignInAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var admin = Server.Admin;
        await Server.DisposeAsync();
        LogScan.AssertNoSecrets(Server.Output, Server.DataDirectory, admin.ClientSecret);
    }
}
