using System.Diagnostics;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Security;

/// <summary>
/// Debian's testssl.sh against both listeners: nothing below TLS 1.2, and no cipher category weaker than AEAD (no
/// NULL, anonymous, export, LOW, 3DES or CBC suites), which is what Azure IoT Hub offers with a TLS 1.2 minimum.
/// </summary>
public sealed class TlsScanTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("mqtt")]
    [InlineData("https")]
    public async Task TestsslFindsNoProtocolOrCipherBelowTheMinimum(string listener)
    {
        var port = listener == "mqtt" ? fixture.Server.MqttPort : fixture.Server.HttpsPort;
        var report = await TestsslAsync("-p", "-s", $"127.0.0.1:{port}");
        foreach (var protocol in (string[])["SSLv2", "SSLv3", "TLS 1 ", "TLS 1.1"])
        {
            Assert.Matches($@"(?m)^\s*{System.Text.RegularExpressions.Regex.Escape(protocol.TrimEnd())}\s+not offered", report);
        }

        Assert.Matches(@"(?m)^\s*TLS 1\.2\s+offered", report);
        Assert.Matches(@"(?m)^\s*TLS 1\.3\s+offered", report);
        foreach (var category in (string[])["NULL ciphers", "Anonymous NULL Ciphers", "Export ciphers", "LOW: 64 Bit", "Triple DES Ciphers", "Obsolete CBC ciphers"])
        {
            Assert.Matches($@"(?m)^\s*{System.Text.RegularExpressions.Regex.Escape(category)}.*not offered", report);
        }
    }

    private static async Task<string> TestsslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("testssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--quiet", "--color", "0", "--warnings", "off", .. args])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("testssl (Debian package testssl.sh) is not installed; ./test.sh installs it.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return await output + await errors;
    }
}
