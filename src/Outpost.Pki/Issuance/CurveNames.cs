namespace Outpost.Pki.Issuance;

/// <summary>Maps EC curve OIDs and their many aliases to one display name (<c>P-256</c>, <c>P-384</c>, …).</summary>
internal static class CurveNames
{
    private static readonly Dictionary<string, string> NameByOid = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.3.1.7"] = "P-256",
        ["1.3.132.0.34"] = "P-384",
        ["1.3.132.0.35"] = "P-521",
        ["1.3.132.0.10"] = "secp256k1",
        ["1.3.36.3.3.2.8.1.1.7"] = "brainpoolP256r1",
        ["1.3.36.3.3.2.8.1.1.11"] = "brainpoolP384r1",
        ["1.3.36.3.3.2.8.1.1.13"] = "brainpoolP512r1",
    };

    private static readonly Dictionary<string, string> NameByAlias = new[]
    {
        ("P-256", new[] { "P-256", "P256", "nistP256", "secp256r1", "prime256v1", "ECDSA_P256" }),
        ("P-384", new[] { "P-384", "P384", "nistP384", "secp384r1", "ECDSA_P384" }),
        ("P-521", new[] { "P-521", "P521", "nistP521", "secp521r1", "ECDSA_P521" }),
    }
    .SelectMany(curve => curve.Item2.Select(alias => (Alias: alias, Name: curve.Item1)))
    .ToDictionary(entry => entry.Alias, entry => entry.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The display name of the curve with <paramref name="oid"/>, or <c>OID {oid}</c> for one we do not name.</summary>
    internal static string FromOid(string oid) => NameByOid.TryGetValue(oid, out string? name) ? name : $"OID {oid}";

    /// <summary>The display name for a configured curve name; unknown names are kept as written.</summary>
    internal static string Normalize(string configuredName)
    {
        string trimmed = configuredName.Trim();
        return NameByAlias.TryGetValue(trimmed, out string? name) ? name : trimmed;
    }
}
