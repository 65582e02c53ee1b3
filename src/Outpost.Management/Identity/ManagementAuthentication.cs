using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Outpost.Core.Errors;
using Outpost.Management.Arm;

namespace Outpost.Management.Identity;

/// <summary>
/// Bearer-token validation for the management API: tokens this server signed, for a resource it serves, in date.
/// Refusals answer with ARM's codes (<c>AuthenticationFailed</c>, <c>InvalidAuthenticationToken</c>,
/// <c>ExpiredAuthenticationToken</c>) in the ARM error envelope.
/// </summary>
internal static class ManagementAuthentication
{
    public static void Configure(JwtBearerOptions options, ServerIdentity identity, TimeSpan clockSkew)
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuerSigningKey = true,
            IssuerSigningKeyResolver = (_, _, _, _) => [identity.SecurityKey],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateAudience = true,
            ValidAudiences = TokenAudiences.All.SelectMany(audience => audience.Audiences),
            // The issuer names whichever host the client used; what makes a token ours is the signature, checked above.
            IssuerValidator = (issuer, _, _) => issuer.EndsWith($"/{identity.TenantId}/v2.0", StringComparison.OrdinalIgnoreCase)
                ? issuer
                : throw new SecurityTokenInvalidIssuerException($"The token issuer '{issuer}' is not this server's tenant."),
            ValidateLifetime = true,
            ClockSkew = clockSkew,
        };
        options.Events = new JwtBearerEvents
        {
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var failure = context.AuthenticateFailure;
                var hasHeader = context.Request.Headers.Authorization.Count > 0;
                var refusal = !hasHeader
                    ? new OutpostException(ErrorCode.AuthenticationFailed, "Authentication failed. The 'Authorization' header is missing.")
                    : failure is SecurityTokenExpiredException expired
                        ? new OutpostException(ErrorCode.InvalidAuthenticationToken,
                            $"The access token expiry UTC time '{expired.Expires:O}' is earlier than current UTC time '{DateTime.UtcNow:O}'. Request a new token.")
                        : new OutpostException(ErrorCode.InvalidAuthenticationToken,
                            "The access token is invalid: it is malformed, not signed by this server, or not for a resource this server serves. Request a token from this server's token endpoint.");
                context.Response.Headers.WWWAuthenticate =
                    $"Bearer authorization_uri=\"{context.Request.Scheme}://{context.Request.Host}/{identity.TenantId}\", error=\"invalid_token\"";
                await ArmErrors.WriteAsync(context.HttpContext, refusal);
            },
        };
    }
}
