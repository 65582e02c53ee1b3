using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Outpost.Core.Storage;

namespace Outpost.Management.Identity;

/// <summary>
/// The OAuth 2.0 client-credentials token endpoint and the OpenID discovery documents, shaped like Microsoft Entra
/// ID's v2.0 endpoints so that <c>@azure/identity</c>'s <c>ClientSecretCredential</c> works with its authority host
/// pointed at Outpost. Errors use OAuth's <c>{"error","error_description"}</c>, with Entra's AADSTS codes.
/// </summary>
internal static partial class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/{tenantId}/oauth2/v2.0/token", IssueTokenAsync).DisableAntiforgery();
        endpoints.MapPost("/{tenantId}/oauth2/token", IssueTokenAsync).DisableAntiforgery();
        endpoints.MapGet("/{tenantId}/v2.0/.well-known/openid-configuration", Discovery);
        endpoints.MapGet("/{tenantId}/.well-known/openid-configuration", Discovery);
        endpoints.MapGet("/{tenantId}/discovery/v2.0/keys", Keys);
    }

    /// <summary>The issuer is the authority the client used, so discovery and tokens agree whatever host name reached the server.</summary>
    internal static string Issuer(HttpRequest request, string tenantId) => $"{request.Scheme}://{request.Host}/{tenantId}/v2.0";

    private static IResult Discovery(string tenantId, HttpRequest request, ServerIdentity identity)
    {
        if (!IsTenant(tenantId, identity))
        {
            return UnknownTenant(tenantId);
        }

        var authority = $"{request.Scheme}://{request.Host}/{identity.TenantId}";
        return Results.Json(new JsonObject
        {
            ["issuer"] = Issuer(request, identity.TenantId),
            ["token_endpoint"] = $"{authority}/oauth2/v2.0/token",
            ["authorization_endpoint"] = $"{authority}/oauth2/v2.0/authorize",
            ["jwks_uri"] = $"{authority}/discovery/v2.0/keys",
            ["end_session_endpoint"] = $"{authority}/oauth2/v2.0/logout",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "client_secret_basic"),
            ["grant_types_supported"] = new JsonArray("client_credentials"),
            ["response_types_supported"] = new JsonArray("token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("ES256"),
            ["scopes_supported"] = new JsonArray([.. TokenAudiences.All.Select(audience => (JsonNode)audience.Scope)]),
            ["tenant_region_scope"] = "NA",
            ["cloud_instance_name"] = request.Host.Host,
        });
    }

    private static IResult Keys(string tenantId, ServerIdentity identity)
    {
        if (!IsTenant(tenantId, identity))
        {
            return UnknownTenant(tenantId);
        }

        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(identity.SecurityKey);
        return Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = jwk.Kty, ["use"] = "sig", ["kid"] = jwk.Kid, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y, ["alg"] = "ES256",
            }),
        });
    }

    private static async Task<IResult> IssueTokenAsync(string tenantId, HttpRequest request, ServerIdentity identity, IOutpostStore store,
        TimeProvider timeProvider, ILoggerFactory loggers, Microsoft.Extensions.Options.IOptions<TokenOptions> tokens, CancellationToken cancellationToken)
    {
        var lifetime = tokens.Value.Lifetime;
        if (!IsTenant(tenantId, identity))
        {
            return UnknownTenant(tenantId);
        }

        if (!request.HasFormContentType)
        {
            return OAuthError("invalid_request", "AADSTS900144: The request body must be application/x-www-form-urlencoded with grant_type, client_id, client_secret and scope.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var (clientId, clientSecret) = ClientCredentials(request, form);
        if (form["grant_type"].ToString() != "client_credentials")
        {
            return OAuthError("unsupported_grant_type", $"AADSTS70003: The grant type '{form["grant_type"]}' is not supported; this server issues tokens for grant_type=client_credentials only.");
        }

        if (string.IsNullOrEmpty(clientId))
        {
            return OAuthError("invalid_request", "AADSTS900144: The request body must contain the parameter 'client_id'.");
        }

        if (string.IsNullOrEmpty(clientSecret))
        {
            return OAuthError("invalid_client", "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type; this server accepts client_secret.", StatusCodes.Status401Unauthorized);
        }

        var principal = await store.GetPrincipalByClientIdAsync(clientId, cancellationToken);
        if (principal?.SecretHash is null || !ClientSecrets.Verify(clientSecret, principal.SecretHash))
        {
            LogClientRefused(loggers.CreateLogger(typeof(TokenEndpoints)), clientId);
            return OAuthError("invalid_client",
                $"AADSTS7000215: Invalid client secret provided for client '{clientId}', or no such client exists in tenant '{identity.TenantId}'. Use the clientSecret from admin.json.",
                StatusCodes.Status401Unauthorized);
        }

        var scope = form["scope"].ToString();
        // A client pointed at this server as its ARM endpoint asks for "{endpoint}/.default" (what SDKs derive from a
        // custom endpoint, as for Azure Stack): that is the management API.
        var audience = TokenAudiences.ForScope(scope)
            ?? (TokenAudiences.IsServerScope(scope, $"{request.Scheme}://{request.Host}") ? TokenAudiences.Management : null);
        if (audience is null)
        {
            return OAuthError("invalid_scope",
                $"AADSTS70011: The provided value for the input parameter 'scope' ('{scope}') is not valid. Request exactly one of: {string.Join(", ", TokenAudiences.All.Select(known => known.Scope))}.");
        }

        var now = timeProvider.GetUtcNow();
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer(request, identity.TenantId),
            Audience = audience.IssuedAudience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(identity.SecurityKey, SecurityAlgorithms.EcdsaSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim("oid", principal.ObjectId), new Claim("sub", principal.ObjectId), new Claim("appid", principal.ClientId),
                new Claim("azp", principal.ClientId), new Claim("tid", identity.TenantId), new Claim("idtyp", "app"),
            ]),
        });
        var lifetimeSeconds = (int)lifetime.TotalSeconds;
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = lifetimeSeconds,
            ["ext_expires_in"] = lifetimeSeconds,
            ["access_token"] = token,
        });
    }

    /// <summary>Client credentials may come in the form (client_secret_post) or in an HTTP Basic header (client_secret_basic).</summary>
    private static (string? ClientId, string? ClientSecret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                // Fall through to the form fields; a broken header with no form credentials ends in the usual error.
            }
        }

        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private static bool IsTenant(string tenantId, ServerIdentity identity) =>
        string.Equals(tenantId, identity.TenantId, StringComparison.OrdinalIgnoreCase);

    private static IResult UnknownTenant(string tenantId) =>
        OAuthError("invalid_tenant", $"AADSTS90002: Tenant '{tenantId}' not found. Use the tenantId from admin.json.", StatusCodes.Status400BadRequest);

    private static IResult OAuthError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, EventName = "ClientCredentialsRefused",
        Message = "Token request refused: wrong secret or unknown client {ClientId}")]
    private static partial void LogClientRefused(ILogger logger, string clientId);
}
