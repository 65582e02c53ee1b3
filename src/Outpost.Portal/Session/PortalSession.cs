using Microsoft.AspNetCore.Components.Authorization;
using Outpost.Client;

namespace Outpost.Portal.Session;

/// <summary>
/// One signed-in user's way to the APIs for the life of their circuit: the management API with their token, and the
/// hub and DPS data planes with keys read through it, exactly as a script holding the same token would.
/// </summary>
internal sealed class PortalSession(AuthenticationStateProvider authentication, PortalEndpoint endpoint) : IDisposable
{
    private OutpostApi? api;

    public string SubscriptionId { get; private set; } = string.Empty;

    /// <summary>The signed-in principal's object id, as role assignments name it.</summary>
    public string ObjectId { get; private set; } = string.Empty;

    public async Task<OutpostApi> ApiAsync()
    {
        if (api is null)
        {
            var user = (await authentication.GetAuthenticationStateAsync()).User;
            var token = user.FindFirst(PortalAuthentication.TokenClaim)?.Value
                ?? throw new OutpostApiException(401, "NotSignedIn", "The session has no token; sign in again.");
            SubscriptionId = user.FindFirst(PortalAuthentication.SubscriptionClaim)?.Value ?? string.Empty;
            ObjectId = user.FindFirst(PortalAuthentication.ObjectIdClaim)?.Value ?? string.Empty;
            api = new OutpostApi(endpoint.Value, new FixedToken(token)) { PollInterval = TimeSpan.FromMilliseconds(500) };
        }

        return api;
    }

    public void Dispose() => api?.Dispose();
}
