using Outpost.Core.Errors;

namespace Outpost.Core.SharedAccess;

/// <summary>
/// The check every data plane makes of a service SAS token: it is for this host (or a path under it), unexpired, and
/// signed with a key of the policy it names. The policy's rights are the caller's to judge.
/// </summary>
public static class SharedAccessCheck
{
    /// <param name="what">How the refusal names the owner, e.g. "this hub" or "this service".</param>
    public static AccessRule RequireSigned(SharedAccessSignature token, string hostName, IReadOnlyList<AccessRule> rules, DateTimeOffset now, string what)
    {
        if (!token.Covers(hostName))
        {
            throw Refused($"The token is for '{token.Resource}', not for {what} ('{hostName}').");
        }

        if (token.IsExpired(now))
        {
            throw Refused($"The token expired at {DateTimeOffset.FromUnixTimeSeconds(token.Expiry):O}. Make a new one.");
        }

        var rule = rules.FirstOrDefault(candidate => string.Equals(candidate.KeyName, token.KeyName, StringComparison.OrdinalIgnoreCase));
        return rule is not null && (token.IsSignedWith(rule.PrimaryKey) || token.IsSignedWith(rule.SecondaryKey))
            ? rule
            : throw Refused($"The token's signature does not match a key of policy '{token.KeyName}'. Use a key from {what}'s listkeys.");
    }

    private static OutpostException Refused(string message) => new(ErrorCode.AuthenticationFailed, message);
}
