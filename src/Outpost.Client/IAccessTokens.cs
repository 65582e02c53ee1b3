namespace Outpost.Client;

/// <summary>Where an <see cref="OutpostApi"/> gets the bearer token for a scope.</summary>
public interface IAccessTokens
{
    ValueTask<string> GetAsync(OutpostApi api, string scope, CancellationToken cancellationToken);
}

/// <summary>Tokens of a service principal, asked for with its secret (OAuth client credentials) and kept until a minute before they expire.</summary>
public sealed class ClientCredentialTokens(string tenantId, string clientId, string clientSecret) : IAccessTokens
{
    private readonly Dictionary<string, AccessToken> tokens = [];

    public async ValueTask<string> GetAsync(OutpostApi api, string scope, CancellationToken cancellationToken)
    {
        lock (tokens)
        {
            if (tokens.TryGetValue(scope, out var cached) && cached.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(1))
            {
                return cached.Token;
            }
        }

        var token = await api.RequestTokenAsync(tenantId, clientId, clientSecret, scope, cancellationToken);
        lock (tokens)
        {
            tokens[scope] = token;
        }

        return token.Token;
    }
}

/// <summary>One token already obtained, for every scope it is asked for (the portal keeps the signed-in user's management token).</summary>
public sealed class FixedToken(string token) : IAccessTokens
{
    public ValueTask<string> GetAsync(OutpostApi api, string scope, CancellationToken cancellationToken) => ValueTask.FromResult(token);
}

public sealed record AccessToken(string Token, DateTimeOffset ExpiresOn);
