namespace Outpost.Pki.Issuance;

/// <summary>Issuance settings (section <c>Outpost:Pki</c>).</summary>
public sealed class PkiOptions
{
    /// <summary>
    /// EC curves accepted in device CSRs. Default: <c>P-256</c>, <c>P-384</c>. Azure documents P-384 but Microsoft's own
    /// samples send P-256 (ADR §1), so both are accepted. Names are <c>P-256</c>/<c>P-384</c>/<c>P-521</c>; the .NET
    /// and OpenSSL aliases (<c>nistP256</c>, <c>secp384r1</c>, <c>prime256v1</c>, <c>ECDSA_P384</c>…) mean the same.
    /// RSA keys are never accepted.
    /// </summary>
    /// <remarks>
    /// Configuration binding appends to a pre-filled list; clear it first (or bind into a fresh list) to replace the defaults.
    /// </remarks>
    public IList<string> AllowedCurves { get; } = ["P-256", "P-384"];

    /// <summary>
    /// How long an issuing CA key stays open in memory after it signed, so bursts of issuance decrypt it once. Default
    /// 5 minutes; <see cref="TimeSpan.Zero"/> decrypts it for every signature. (<c>Outpost:Pki:OpenKeyLifetime</c>.)
    /// </summary>
    public TimeSpan OpenKeyLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
