using System.Security.Cryptography;
using System.Text;
using Outpost.Pki.KeyProtection;
using Outpost.Pki.Tests.TestSupport;

namespace Outpost.Pki.Tests.KeyProtection;

public sealed class KeyProtectorTests
{
    private const string Owner = "/subscriptions/s/.../credentials/default";
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a PKCS#8 private key would be here");

    [Fact]
    public void ProtectedBytesRoundTrip()
    {
        var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));

        byte[] blob = protector.Protect(Secret, Owner);

        Assert.Equal(1 + 12 + 16 + Secret.Length, blob.Length);
        Assert.Equal(1, blob[0]);
        Assert.Equal(-1, blob.AsSpan().IndexOf(Secret));
        Assert.Equal(Secret, protector.Unprotect(blob, Owner));
    }

    [Fact]
    public void EachProtectUsesAFreshNonce()
    {
        var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));

        Assert.NotEqual(protector.Protect(Secret, Owner), protector.Protect(Secret, Owner));
    }

    [Theory]
    [InlineData("fail/version")]
    [InlineData("fail/nonce")]
    [InlineData("fail/tag")]
    [InlineData("fail/ciphertext")]
    [InlineData("fail/truncated")]
    public void TamperedBlobDoesNotDecrypt(string label)
    {
        var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        byte[] blob = protector.Protect(Secret, Owner);

        byte[] tampered = label switch
        {
            "fail/version" => Flip(blob, 0),
            "fail/nonce" => Flip(blob, 5),
            "fail/tag" => Flip(blob, 20),
            "fail/ciphertext" => Flip(blob, blob.Length - 1),
            "fail/truncated" => blob[..20],
            _ => throw new ArgumentOutOfRangeException(nameof(label)),
        };

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered, Owner));
    }

    [Fact]
    public void BlobDoesNotDecryptForAnotherOwner()
    {
        var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        byte[] blob = protector.Protect(Secret, Owner);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(blob, Owner + "/policies/other"));
    }

    [Fact]
    public void BlobDoesNotDecryptWithAnotherKek()
    {
        byte[] blob = new KeyProtector(RandomNumberGenerator.GetBytes(32)).Protect(Secret, Owner);

        Assert.ThrowsAny<CryptographicException>(() => new KeyProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(blob, Owner));
    }

    [Fact]
    public void LoadOrCreateCreatesTheDirectoryAndAThirtyTwoByteKek()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "nested", "kek.bin");

        KeyProtector.LoadOrCreate(path);

        Assert.Equal(32, new FileInfo(path).Length);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void LoadOrCreateWritesTheKekWithMode0600()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes do not exist on Windows.");
            return;
        }

        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "kek.bin");

        KeyProtector.LoadOrCreate(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(directory.Path) & (UnixFileMode)0x1FF);
    }

    [Fact]
    public void LoadOrCreateReadsTheSameKekBack()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "kek.bin");
        byte[] blob = KeyProtector.LoadOrCreate(path).Protect(Secret, Owner);

        byte[] plaintext = KeyProtector.LoadOrCreate(path).Unprotect(blob, Owner);

        Assert.Equal(Secret, plaintext);
    }

    [Theory]
    [InlineData("fail/empty", 0)]
    [InlineData("fail/short", 31)]
    [InlineData("fail/long", 33)]
    public void LoadOrCreateRefusesAKekFileOfTheWrongLength(string label, int length)
    {
        using var directory = new TemporaryDirectory();
        Directory.CreateDirectory(directory.Path);
        string path = Path.Combine(directory.Path, $"{label.Replace('/', '-')}.bin");
        File.WriteAllBytes(path, new byte[length]);

        var error = Assert.Throws<InvalidOperationException>(() => KeyProtector.LoadOrCreate(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{length} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Flip(byte[] blob, int index)
    {
        byte[] copy = blob.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }
}
