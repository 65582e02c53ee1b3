using Outpost.Client;

namespace Outpost.Portal.Session;

/// <summary>
/// Where the portal reaches the server's APIs: the server's own HTTPS listener, known only once it has bound its port,
/// so it is asked for at first use.
/// </summary>
public sealed class PortalEndpoint(Func<OutpostEndpoint> resolve)
{
    private readonly Lazy<OutpostEndpoint> endpoint = new(resolve);

    public OutpostEndpoint Value => endpoint.Value;
}
