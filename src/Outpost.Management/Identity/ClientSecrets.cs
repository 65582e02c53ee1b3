using System.Security.Cryptography;
using System.Text;

namespace Outpost.Management.Identity;

/// <summary>
/// Client secrets are 256 random bits, so a salted SHA-256 is enough to keep them from being read back out of the
/// database: no slow hash is needed against guessing a value with that much entropy, and token requests stay fast.
/// </summary>
internal static class ClientSecrets
{
    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return $"sha256:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(Digest(salt, secret))}";
    }

    public static bool Verify(string secret, string storedHash)
    {
        var parts = storedHash.Split(':');
        if (parts.Length != 3 || parts[0] != "sha256")
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[1]);
        return CryptographicOperations.FixedTimeEquals(Digest(salt, secret), Convert.FromBase64String(parts[2]));
    }

    private static byte[] Digest(byte[] salt, string secret) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(secret)]);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
