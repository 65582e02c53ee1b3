using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.KeyProtection;

/// <summary>
/// Keeps a CA key that just signed open in memory for a short, fixed time, so a burst of issuances (a fleet
/// registering) pays for decrypting and importing it once instead of once per certificate. The key stays encrypted
/// at rest; with a lifetime of zero every signature opens and disposes it. Signatures with one key are serialised,
/// because one <see cref="ECDsa"/> instance is not meant for concurrent use.
/// </summary>
internal sealed class OpenSigningKeys(KeyProtector protector, TimeProvider time, TimeSpan lifetime) : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public T Sign<T>(byte[] protectedKey, string keyOwnerId, X509Certificate2 certificate, Func<ECDsa, T> sign)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            using var key = SigningKeys.Open(protector, protectedKey, keyOwnerId, certificate);
            return sign(key);
        }

        var cacheKey = $"{keyOwnerId}:{Convert.ToHexString(SHA256.HashData(protectedKey))}";
        var now = time.GetUtcNow();
        while (true)
        {
            var entry = entries.GetOrAdd(cacheKey, _ => new Entry(SigningKeys.Open(protector, protectedKey, keyOwnerId, certificate), now + lifetime));
            lock (entry)
            {
                if (!entry.Disposed && entry.ExpiresAt > now)
                {
                    return sign(entry.Key);
                }

                // Expired: the one that gets here first closes it; the loop opens a fresh one.
                if (!entry.Disposed)
                {
                    entry.Disposed = true;
                    entry.Key.Dispose();
                }
            }

            entries.TryRemove(new KeyValuePair<string, Entry>(cacheKey, entry));
        }
    }

    public void Dispose()
    {
        foreach (var entry in entries.Values)
        {
            lock (entry)
            {
                entry.Disposed = true;
                entry.Key.Dispose();
            }
        }

        entries.Clear();
    }

    private sealed class Entry(ECDsa key, DateTimeOffset expiresAt)
    {
        public ECDsa Key { get; } = key;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Disposed { get; set; }
    }
}
