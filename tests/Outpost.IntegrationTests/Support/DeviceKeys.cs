using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.IntegrationTests.Support;

/// <summary>Device-side crypto for tests: CSRs of every kind a device might send, good and bad, and an openssl check of a chain.</summary>
internal static class DeviceKeys
{
    public static byte[] EcCsr(string commonName, ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        return new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    public static byte[] RsaCsr(string commonName)
    {
        using var key = RSA.Create(2048);
        return new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
    }

    /// <summary>A valid P-256 CSR with one bit of its signature flipped: the key and subject are fine, proof of possession is not.</summary>
    public static byte[] BrokenSignatureCsr(string commonName)
    {
        var csr = EcCsr(commonName, ECCurve.NamedCurves.nistP256);
        // The signature is the last element; its final byte is part of the ECDSA s value.
        csr[^1] ^= 0x01;
        return csr;
    }

    /// <summary>Runs <c>openssl verify</c> on the chain (leaf, issuing CA, root) with only the root trusted; returns its output.</summary>
    public static async Task<(int ExitCode, string Output)> OpensslVerifyAsync(IReadOnlyList<byte[]> chain)
    {
        var directory = Directory.CreateTempSubdirectory("outpost-chain-").FullName;
        string Write(string name, byte[] der)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, X509CertificateLoader.LoadCertificate(der).ExportCertificatePem());
            return path;
        }

        var leaf = Write("leaf.pem", chain[0]);
        var issuing = Write("issuing.pem", chain[1]);
        var root = Write("root.pem", chain[2]);
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "verify", "-purpose", "sslclient", "-CAfile", root, "-untrusted", issuing, leaf })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
