using System.Security.Cryptography.X509Certificates;
using Outpost.Client;

namespace Outpost.Cli.Session;

/// <summary>
/// The command line's way to the server: the public APIs (<see cref="OutpostApi"/>) as the profile's service principal,
/// with the profile's CA and host-name routing. Keys for the hub and DPS data planes are read through listkeys, as
/// <c>az</c> does.
/// </summary>
internal sealed class ServerConnection(CliProfile profile) : OutpostApi(
    new OutpostEndpoint(new Uri(profile.Server), profile.CaFile is { } file ? X509CertificateLoader.LoadCertificateFromFile(file) : null, profile.RouteHostsToServer),
    new ClientCredentialTokens(profile.TenantId, profile.ClientId, profile.ClientSecret))
{
    public CliProfile Profile => profile;

    public string SubscriptionId => profile.SubscriptionId;

    public string SubscriptionPath => $"/subscriptions/{profile.SubscriptionId}";

    /// <summary>The CA the profile trusts for the server's certificates, or null for the system's.</summary>
    public X509Certificate2? TrustAnchor => Endpoint.TrustAnchor;
}
