namespace Outpost.IntegrationTests.Support;

/// <summary>Looks through a server's whole log for anything that would give away a private key or a secret.</summary>
internal static class LogScan
{
    public static void AssertNoSecrets(string log, string dataDirectory, string adminSecret)
    {
        Assert.DoesNotContain("PRIVATE KEY", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(adminSecret, log, StringComparison.Ordinal);

        // The key-encryption key, in every encoding a careless log line might use.
        var kek = File.ReadAllBytes(Path.Combine(dataDirectory, "keys", "kek.bin"));
        Assert.DoesNotContain(Convert.ToBase64String(kek), log, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(kek), log, StringComparison.OrdinalIgnoreCase);

        // PKCS#8 EC private keys start with this DER prefix; in base64 it begins "MIG" or "MIH" followed by "AgEAMBMG".
        Assert.DoesNotContain("AgEAMBMGByqGSM49AgEG", log, StringComparison.Ordinal);
        // SEC1 EC private keys ("BEGIN EC PRIVATE KEY" bodies) start with version 1 and an OCTET STRING.
        Assert.DoesNotContain("MIGkAgEBBDA", log, StringComparison.Ordinal);
        Assert.DoesNotContain("MHcCAQEEI", log, StringComparison.Ordinal);
    }
}
