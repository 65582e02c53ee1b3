using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.KeyProtection;

/// <summary>
/// Keeps a CA key that just signed open in memory for a short, fixed time, so a burst of issuances (a fleet
/// registering) pays for decrypting and importing it once per signing thread instead of once per certificate. The
/// key stays encrypted at rest; with a lifetime of zero every signature opens and disposes it. One <see cref="ECDsa"/>
/// instance is not meant for concurrent use, so each signature borrows an instance of its own from a small pool.
/// </summary>
internal sealed class OpenSigningKeys(KeyProtector protector, TimeProvider time, TimeSpan lifetime) : IDisposable
{
    private readonly ConcurrentDictionary<string, Pool> pools = new(StringComparer.Ordinal);

    public T Sign<T>(byte[] protectedKey, string keyOwnerId, X509Certificate2 certificate, Func<ECDsa, T> sign)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            using var key = SigningKeys.Open(protector, protectedKey, keyOwnerId, certificate);
            return sign(key);
        }

        var cacheKey = $"{keyOwnerId}:{Convert.ToHexString(SHA256.HashData(protectedKey))}";
        var now = time.GetUtcNow();
        var pool = pools.GetOrAdd(cacheKey, _ => new Pool(now + lifetime));
        if (pool.ExpiresAt <= now && pools.TryRemove(new KeyValuePair<string, Pool>(cacheKey, pool)))
        {
            pool.Retire();
            pool = pools.GetOrAdd(cacheKey, _ => new Pool(now + lifetime));
        }

        var borrowed = pool.Take() ?? SigningKeys.Open(protector, protectedKey, keyOwnerId, certificate);
        try
        {
            return sign(borrowed);
        }
        finally
        {
            pool.Return(borrowed);
        }
    }

    public void Dispose()
    {
        foreach (var pool in pools.Values)
        {
            pool.Retire();
        }

        pools.Clear();
    }

    /// <summary>Open instances of one key until <see cref="ExpiresAt"/>; once retired, every instance is disposed as soon as it is free.</summary>
    private sealed class Pool(DateTimeOffset expiresAt)
    {
        private readonly ConcurrentBag<ECDsa> free = [];
        private volatile bool retired;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public ECDsa? Take() => !retired && free.TryTake(out var key) ? key : null;

        public void Return(ECDsa key)
        {
            free.Add(key);
            if (retired)
            {
                Drain();
            }
        }

        public void Retire()
        {
            retired = true;
            Drain();
        }

        private void Drain()
        {
            while (free.TryTake(out var key))
            {
                key.Dispose();
            }
        }
    }
}
