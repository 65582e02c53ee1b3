using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Outpost.Core.SharedAccess;

/// <summary>
/// An Azure IoT shared access signature: <c>SharedAccessSignature sr={resource}&amp;sig={HMAC}&amp;se={expiry}[&amp;skn={policy}]</c>.
/// The HMAC-SHA256 is taken over the <c>sr</c> value exactly as it appears in the token, a newline and the expiry, as
/// the SDKs compute it; the resource is then compared decoded and case-insensitively.
/// </summary>
public sealed record SharedAccessSignature(string RawResource, string Resource, string Signature, long Expiry, string? KeyName)
{
    public static bool TryParse(string? header, out SharedAccessSignature? token)
    {
        token = null;
        const string Prefix = "SharedAccessSignature ";
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in header[Prefix.Length..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        if (!fields.TryGetValue("sr", out var resource) || !fields.TryGetValue("sig", out var signature) || !fields.TryGetValue("se", out var expiry)
            || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        token = new SharedAccessSignature(resource, Uri.UnescapeDataString(resource), Uri.UnescapeDataString(signature), seconds,
            fields.TryGetValue("skn", out var keyName) ? Uri.UnescapeDataString(keyName) : null);
        return true;
    }

    public bool IsExpired(DateTimeOffset now) => now.ToUnixTimeSeconds() >= Expiry;

    /// <summary>True when the signature was made with <paramref name="base64Key"/>; compared in constant time.</summary>
    public bool IsSignedWith(string base64Key)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{RawResource}\n{Expiry.ToString(CultureInfo.InvariantCulture)}"));
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>True when the token's resource is <paramref name="resource"/> or lies under it, compared by path segment, ignoring case.</summary>
    public bool Covers(string resource)
    {
        var granted = Resource.TrimEnd('/');
        return string.Equals(granted, resource, StringComparison.OrdinalIgnoreCase)
            || resource.StartsWith(granted + "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Makes a token, as the SDKs do: for tests, tools and the server's own calls.</summary>
    public static string Create(string resource, string base64Key, string? keyName, DateTimeOffset expiry)
    {
        var encoded = Uri.EscapeDataString(resource);
        var seconds = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.UTF8.GetBytes($"{encoded}\n{seconds}")));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={seconds}" + (keyName is null ? string.Empty : $"&skn={Uri.EscapeDataString(keyName)}");
    }
}
