namespace Outpost.Management.Identity;

/// <summary>Section <c>Outpost:Tokens</c>: how long issued access tokens live and how much clock skew validation allows.</summary>
public sealed class TokenOptions
{
    public const string SectionName = "Outpost:Tokens";

    /// <summary>Lifetime of an access token. Default one hour, as Entra ID's.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How far past its expiry (or before its start) a token is still accepted, for clocks that disagree. Default five minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
