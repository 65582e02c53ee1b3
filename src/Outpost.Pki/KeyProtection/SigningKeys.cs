using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.KeyProtection;

/// <summary>
/// Moves signing keys (CA keys, the token-signing key, the TLS CA key) between their encrypted stored form and an
/// <see cref="ECDsa"/> held only for as long as it signs. Plain key bytes are zeroed as soon as they are used.
/// </summary>
public static class SigningKeys
{
    /// <summary>
    /// Decrypts the key into a new <see cref="ECDsa"/> that the caller must dispose as soon as it has signed.
    /// The decrypted PKCS#8 bytes are zeroed before returning.
    /// </summary>
    /// <exception cref="CryptographicException">
    /// The key does not decrypt for <paramref name="keyOwnerId"/>, or it does not belong to <paramref name="certificate"/>.
    /// </exception>
    public static ECDsa Open(KeyProtector protector, byte[] protectedPrivateKey, string keyOwnerId, X509Certificate2 certificate)
    {
        byte[] pkcs8 = protector.Unprotect(protectedPrivateKey, keyOwnerId);
        ECDsa key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);

            // A key stored next to the wrong certificate would sign certificates that never chain; fail loudly instead.
            byte[] expected = certificate.PublicKey.ExportSubjectPublicKeyInfo();
            byte[] actual = key.ExportSubjectPublicKeyInfo();
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                throw new CryptographicException(
                    $"The private key stored for '{keyOwnerId}' does not match the public key of its certificate '{certificate.Subject}'.");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Exports <paramref name="key"/> as PKCS#8 and encrypts it, zeroing the plain bytes.</summary>
    public static byte[] Protect(KeyProtector protector, ECDsa key, string keyOwnerId)
    {
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            return protector.Protect(pkcs8, keyOwnerId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
