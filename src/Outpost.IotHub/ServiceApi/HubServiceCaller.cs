using Outpost.Core.Authorization;
using Outpost.Core.SharedAccess;
using Outpost.IotHub.Hubs;

namespace Outpost.IotHub.ServiceApi;

/// <summary>
/// Authenticates a call to a hub's service API either way IoT Hub accepts: a SAS token signed with one of the hub's
/// shared access policies (for the hub's host name, unexpired, with the right the call needs; refused when the hub
/// disables local authentication), or a bearer token for <c>https://iothubs.azure.net</c> whose principal holds a
/// role with the call's data action on the hub.
/// </summary>
internal sealed class HubServiceCaller(IAccessPolicies policies, IDataPlaneAuthorizer authorizer, TimeProvider time)
{
    private static readonly string[] HubAudiences = ["https://iothubs.azure.net", "https://iothubs.azure.net/"];

    public async Task DemandAsync(HttpContext context, HubInstance hub, HubAccess access, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            throw Unauthorized("The Authorization header is missing. Send a SharedAccessSignature made from one of the hub's shared access policies, or a bearer token.");
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await DemandRoleAsync(context, hub, access, cancellationToken);
            return;
        }

        if (!SharedAccessSignature.TryParse(header, out var token) || token is null)
        {
            throw Unauthorized("The Authorization header is neither a SharedAccessSignature (sr=…&sig=…&se=…&skn=…) nor a bearer token.");
        }

        if (hub.DisableLocalAuth)
        {
            throw Unauthorized($"Hub '{hub.Name}' has disableLocalAuth set, so shared access signatures are refused; use a bearer token with an IoT Hub data role.");
        }

        var rule = await RequireSignedAsync(hub, token, cancellationToken);
        if (!access.GrantedBy(rule.Grants))
        {
            throw Unauthorized($"Policy '{rule.KeyName}' has rights '{rule.Rights}'; this operation needs {access.Right}.");
        }
    }

    /// <summary>The hub policy whose key signed the token, after the token's resource and expiry were checked.</summary>
    public async Task<AccessRule> RequireSignedAsync(HubInstance hub, SharedAccessSignature token, CancellationToken cancellationToken)
    {
        try
        {
            return SharedAccessCheck.RequireSigned(token, hub.HostName, await policies.GetAsync(hub.Id, cancellationToken), time.GetUtcNow(), "this hub");
        }
        catch (Outpost.Core.Errors.OutpostException exception)
        {
            throw Unauthorized(exception.Message);
        }
    }

    private async Task DemandRoleAsync(HttpContext context, HubInstance hub, HubAccess access, CancellationToken cancellationToken)
    {
        var user = context.User;
        var audience = user.FindFirst("aud")?.Value;
        if (user.Identity?.IsAuthenticated != true || !HubAudiences.Contains(audience, StringComparer.OrdinalIgnoreCase))
        {
            throw Unauthorized("The bearer token is invalid, expired, or not for this API; request one for scope https://iothubs.azure.net/.default from this server.");
        }

        var principalId = user.FindFirst("oid")?.Value ?? string.Empty;
        if (!await authorizer.AllowsDataActionAsync(principalId, hub.Id, access.DataAction, cancellationToken))
        {
            throw Unauthorized($"Principal '{principalId}' has no role allowing '{access.DataAction}' on '{hub.Id}'; assign IoT Hub Data Contributor (or Reader to read).");
        }
    }

    private static HubException Unauthorized(string message) => new(HubError.Unauthorized, message);
}
