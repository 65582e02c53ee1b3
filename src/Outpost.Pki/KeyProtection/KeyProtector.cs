using System.Security.Cryptography;
using System.Text;

namespace Outpost.Pki.KeyProtection;

/// <summary>
/// Encrypts CA private keys at rest with a key-encryption key (KEK) kept in a file outside the database, so a copy of
/// the database alone does not give away any CA key.
/// </summary>
/// <remarks>
/// Blob layout (version 1): <c>version (1 byte) || nonce (12) || tag (16) || ciphertext</c>, AES-256-GCM.
/// The associated data binds a blob to its owner (e.g. the CA's ARM resource id), so a blob copied onto another
/// owner's row does not decrypt. Instances are thread-safe.
/// </remarks>
public sealed class KeyProtector
{
    /// <summary>Length of the key-encryption key in bytes (AES-256).</summary>
    public const int KeyLength = 32;

    private const byte Version1 = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + NonceLength + TagLength;

    // Never exposed, never logged. AesGcm instances are created per call because one instance is not safe to share
    // between threads, and creating one is cheap next to the signing it protects.
    private readonly byte[] _kek;

    internal KeyProtector(ReadOnlySpan<byte> kek)
    {
        if (kek.Length != KeyLength)
        {
            throw new ArgumentException($"The key-encryption key must be {KeyLength} bytes.", nameof(kek));
        }

        _kek = kek.ToArray();
    }

    /// <summary>
    /// Reads the KEK from <paramref name="kekFilePath"/>, or creates it with 32 random bytes (parent directory included)
    /// when the file does not exist. On Unix a new file gets mode 0600 and a new directory 0700.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file exists but is not exactly 32 bytes long.</exception>
    public static KeyProtector LoadOrCreate(string kekFilePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kekFilePath);
        string path = Path.GetFullPath(kekFilePath);

        if (!File.Exists(path))
        {
            TryCreate(path);
        }

        byte[] kek = File.ReadAllBytes(path);
        try
        {
            if (kek.Length != KeyLength)
            {
                throw new InvalidOperationException(
                    $"The key-encryption key file '{path}' is {kek.Length} bytes long; expected exactly {KeyLength} bytes. " +
                    "Restore the original file, or remove it only if no CA keys were ever encrypted with it.");
            }

            return new KeyProtector(kek);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> and binds it to <paramref name="associatedData"/>.</summary>
    public byte[] Protect(ReadOnlySpan<byte> plaintext, string associatedData)
    {
        ArgumentException.ThrowIfNullOrEmpty(associatedData);

        byte[] blob = new byte[HeaderLength + plaintext.Length];
        blob[0] = Version1;
        Span<byte> nonce = blob.AsSpan(1, NonceLength);
        Span<byte> tag = blob.AsSpan(1 + NonceLength, TagLength);
        Span<byte> ciphertext = blob.AsSpan(HeaderLength);

        // Random 96-bit nonces are safe here: CA keys are encrypted a handful of times per KEK, far below the 2^32
        // messages NIST SP 800-38D allows for random nonces.
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_kek, TagLength);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(associatedData));
        return blob;
    }

    /// <summary>Decrypts a blob made by <see cref="Protect"/> for the same <paramref name="associatedData"/>.</summary>
    /// <exception cref="CryptographicException">
    /// The blob was altered, is truncated, has an unknown version, or belongs to another owner or another KEK.
    /// </exception>
    public byte[] Unprotect(ReadOnlySpan<byte> blob, string associatedData)
    {
        ArgumentException.ThrowIfNullOrEmpty(associatedData);

        if (blob.Length < HeaderLength)
        {
            throw new CryptographicException("The protected key blob is truncated.");
        }

        if (blob[0] != Version1)
        {
            throw new CryptographicException($"The protected key blob has unsupported version {blob[0]}; expected {Version1}.");
        }

        ReadOnlySpan<byte> nonce = blob.Slice(1, NonceLength);
        ReadOnlySpan<byte> tag = blob.Slice(1 + NonceLength, TagLength);
        ReadOnlySpan<byte> ciphertext = blob[HeaderLength..];

        byte[] plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(_kek, TagLength);
        aes.Decrypt(nonce, ciphertext, tag, plaintext, Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }

    private static void TryCreate(string path)
    {
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        // Write to a private temporary file and move it into place without overwriting, so a second process starting
        // at the same moment either wins the race or reads the complete file; it never sees a half-written KEK.
        string temporary = Path.Combine(directory ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        byte[] kek = RandomNumberGenerator.GetBytes(KeyLength);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(kek);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created the KEK first; use theirs.
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
            File.Delete(temporary);
        }
    }
}
