using System.Diagnostics;
using System.Security.Cryptography;
using Outpost.Pki.Issuance;
using Outpost.Pki.Tests.TestSupport;

namespace Outpost.Pki.Tests.Issuance;

/// <summary>A second opinion on the chain from OpenSSL, which is what mosquitto and many devices use. Skipped without openssl.</summary>
public sealed class OpenSslVerificationTests
{
    [Fact]
    public async Task OpenSslVerifiesTheIssuedChain()
    {
        string? openssl = FindOpenSsl();
        Assert.SkipWhen(openssl is null, "openssl is not on PATH.");

        // The real clock: openssl verifies at the current time.
        var pki = new TestPki(timeProvider: TimeProvider.System);
        IssuedCertificate issued = pki.Issue(DeviceCsr.P256());
        using var directory = new TemporaryDirectory();
        Directory.CreateDirectory(directory.Path);
        string root = Write(directory, "root.pem", issued.ChainDer[2]);
        string ica = Write(directory, "ica.pem", issued.ChainDer[1]);
        string leaf = Write(directory, "leaf.pem", issued.ChainDer[0]);

        var start = new ProcessStartInfo(openssl!)
        {
            ArgumentList = { "verify", "-purpose", "sslclient", "-CAfile", root, "-untrusted", ica, leaf },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        string error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, $"openssl verify failed: {output}{error}");
        Assert.Contains(": OK", output, StringComparison.Ordinal);
    }

    private static string Write(TemporaryDirectory directory, string name, byte[] der)
    {
        string path = Path.Combine(directory.Path, name);
        File.WriteAllText(path, PemEncoding.WriteString("CERTIFICATE", der));
        return path;
    }

    private static string? FindOpenSsl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "openssl.exe" : "openssl"))
            .FirstOrDefault(File.Exists);
}
