namespace Outpost.Pki.Certificates;

/// <summary>Picks the validity window of a certificate that a CA is about to sign.</summary>
internal static class ValidityWindow
{
    /// <summary>
    /// How far notBefore is back-dated: devices and servers with slightly slow clocks would otherwise reject a
    /// certificate that is "not yet valid" for the first seconds or minutes after issuance.
    /// </summary>
    internal static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>[now - skew, now + lifetime]</c>, truncated to whole seconds (X.509 times have no fractions) and clamped to the
    /// issuer's own window: a certificate must not outlive or predate the CA that signed it (RFC 5280 path validation
    /// would reject it then, and <c>CertificateRequest.Create</c> refuses it).
    /// </summary>
    internal static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Compute(
        DateTimeOffset now, TimeSpan lifetime, CertificateValidity? issuer)
    {
        DateTimeOffset notBefore = TruncateToSeconds(now - ClockSkewAllowance);
        DateTimeOffset notAfter = TruncateToSeconds(now + lifetime);
        if (issuer is { } window)
        {
            if (notBefore < window.NotBefore)
            {
                notBefore = window.NotBefore;
            }

            if (notAfter > window.NotAfter)
            {
                notAfter = window.NotAfter;
            }
        }

        return (notBefore, notAfter);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
