using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Outpost.Portal.Session;

/// <summary>
/// How the portal knows who is signed in: a cookie of its own, separate from the bearer tokens the APIs take, holding
/// the management token the sign-in obtained with the principal's credentials (encrypted by ASP.NET data protection,
/// never readable by scripts). The cookie lives as long as that token; the secret itself is never kept. The APIs never
/// accept this cookie, so a page elsewhere cannot make the browser call them.
/// </summary>
internal static class PortalAuthentication
{
    public const string Scheme = "OutpostPortal";
    public const string PolicyName = "OutpostPortal";
    public const string TokenClaim = "outpost:management_token";
    public const string SubscriptionClaim = "outpost:subscription";
    public const string TenantClaim = "outpost:tenant";
    public const string ObjectIdClaim = "outpost:oid";

    public static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "outpost.portal";
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
        options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
        options.LoginPath = "/signin";
        options.LogoutPath = "/signout";
        options.SlidingExpiration = false;
    }

    public static void AddPolicy(AuthorizationOptions options) =>
        options.AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());

    public static ClaimsPrincipal Principal(string tenantId, string clientId, string subscriptionId, string token) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, clientId),
                new Claim(ObjectIdClaim, ObjectIdOf(token)),
                new Claim(TenantClaim, tenantId),
                new Claim(SubscriptionClaim, subscriptionId),
                new Claim(TokenClaim, token),
            ],
            Scheme));

    /// <summary>The <c>oid</c> of the server's own token, read (not validated: the server just issued it to this sign-in) for "Assign me".</summary>
    private static string ObjectIdOf(string token)
    {
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return string.Empty;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(payload));
        return document.RootElement.TryGetProperty("oid", out var oid) ? oid.GetString() ?? string.Empty : string.Empty;
    }
}
