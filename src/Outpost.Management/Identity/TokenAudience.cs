namespace Outpost.Management.Identity;

/// <summary>
/// A resource a client can request a token for. <see cref="Scope"/> is what the client asks for
/// (<c>{resource}/.default</c>); <see cref="Audiences"/> are the <c>aud</c> values Azure puts in such tokens.
/// </summary>
internal sealed record TokenAudience(string Scope, IReadOnlyList<string> Audiences)
{
    /// <summary>The <c>aud</c> Outpost writes into tokens for this resource.</summary>
    public string IssuedAudience => Audiences[0];

    public bool Accepts(string audience) => Audiences.Contains(audience, StringComparer.OrdinalIgnoreCase);
}
