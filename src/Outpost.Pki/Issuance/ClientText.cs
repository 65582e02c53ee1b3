using System.Text;

namespace Outpost.Pki.Issuance;

/// <summary>Makes CSR-supplied text safe to echo back in an error message.</summary>
internal static class ClientText
{
    private const int MaxLength = 80;

    /// <summary>
    /// Quotes <paramref name="value"/>, replacing control characters and cutting it at 80 characters, so an attacker's
    /// CSR cannot inject line breaks into logs or inflate the response.
    /// </summary>
    internal static string Quote(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxLength) + 3);
        builder.Append('\'');
        foreach (char c in value.Length > MaxLength ? value.AsSpan(0, MaxLength) : value.AsSpan())
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        builder.Append(value.Length > MaxLength ? "'…" : "'");
        return builder.ToString();
    }
}
