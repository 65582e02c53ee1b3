using Outpost.Server.Tls;

namespace Outpost.Server.Hosting;

/// <summary>Loads or creates the TLS CA before Kestrel opens its listeners, so the first handshake already has a certificate.</summary>
internal sealed class StartupBootstrap(ServerTlsAuthority tls) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => tls.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
