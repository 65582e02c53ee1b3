namespace Outpost.IntegrationTests.Support;

/// <summary>One server per test class, signed in as the bootstrap admin; on teardown it must stop cleanly and its log must hold no secret.</summary>
public class ServerFixture : IAsyncLifetime
{
    /// <summary>The HTTPS port to start on: 0 (any free port) unless a fixture needs 443.</summary>
    protected virtual int HttpsPort => 0;

    /// <summary>Further server arguments, e.g. configuration a fixture's tests need.</summary>
    protected virtual string[] ExtraArguments => [];

    internal OutpostServer Server { get; private set; } = null!;

    internal ManagementClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await OutpostServer.StartAsync(null, HttpsPort, ExtraArguments);
        Client = new ManagementClient(Server);
        await Client.SignInAsync();
        await OnStartedAsync();
    }

    /// <summary>Set-up a derived fixture does once the server runs and the client is signed in.</summary>
    protected virtual ValueTask OnStartedAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        var admin = Server.Admin;
        await Server.DisposeAsync();
        LogScan.AssertNoSecrets(Server.Output, Server.DataDirectory, admin.ClientSecret);
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A server on port 443, for the official Node SDKs that reach HTTPS only there. Only one test class may use it at a
/// time, which the collection below ensures.
/// </summary>
public sealed class Port443ServerFixture : ServerFixture
{
    protected override int HttpsPort => 443;
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Port443Servers : ICollectionFixture<Port443ServerFixture>
{
    public const string Name = "Port 443";
}
