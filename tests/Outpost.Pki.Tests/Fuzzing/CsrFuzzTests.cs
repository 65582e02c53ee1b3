using CsCheck;
using Outpost.Core.Errors;
using Outpost.Pki.Tests.TestSupport;

namespace Outpost.Pki.Tests.Fuzzing;

/// <summary>
/// CSR handling under hostile bytes: CsCheck mutates a good CSR (flipped, dropped, inserted and truncated bytes) and
/// throws random bytes at the issuance pipeline; the only acceptable outcomes are a certificate for a CSR that is
/// still good, or a clear refusal (<see cref="OutpostException"/>), never another exception. Bounded here;
/// <c>OUTPOST_FUZZ_ITERATIONS</c> sets a longer run.
/// </summary>
public sealed class CsrFuzzTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("OUTPOST_FUZZ_ITERATIONS"), out var configured) ? configured : 2_000;

    private static readonly TestPki Pki = new();

    private static readonly byte[] Good = DeviceCsr.P256("CN=" + DeviceCsr.DefaultIdentity);

    [Fact]
    public void MutatedCsrsAreIssuedOrRefusedCleanly()
    {
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, Good.Length - 1], Gen.Byte, (kind, position, value) =>
        {
            var bytes = Good.ToList();
            switch (kind)
            {
                case 0:
                    bytes[position] ^= (byte)(value | 1);
                    break;
                case 1:
                    bytes.RemoveAt(position);
                    break;
                case 2:
                    bytes.Insert(position, value);
                    break;
                default:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
            }

            return bytes.ToArray();
        });
        mutation.Sample(IssueOrRefuse, iter: Iterations);
    }

    /// <summary>
    /// The committed corpus: inputs worth keeping, including the two that once escaped as exceptions (an unknown curve
    /// OID and an unknown signature algorithm OID, one flipped byte each). Every one is issued or refused cleanly.
    /// </summary>
    [Fact]
    public void TheCorpusIsIssuedOrRefusedCleanly()
    {
        var corpus = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus"), "*.der");
        Assert.True(corpus.Length >= 6, $"The corpus is missing: {corpus.Length} files.");
        foreach (var file in corpus)
        {
            var csr = File.ReadAllBytes(file);
            if (Path.GetFileName(file).StartsWith("good", StringComparison.Ordinal))
            {
                Assert.Equal("CN=" + DeviceCsr.DefaultIdentity, Pki.Issue(csr).Subject);
                continue;
            }

            var refused = Assert.Throws<OutpostException>(() => Pki.Issue(csr));
            Assert.Equal(ErrorCode.CsrRejected, refused.Code);
        }
    }

    [Fact]
    public void RandomBytesAreRefusedCleanly() => Gen.Byte.Array[0, 600].Sample(IssueOrRefuse, iter: Iterations);

    private static void IssueOrRefuse(byte[] csr)
    {
        try
        {
            Pki.Issue(csr);
        }
        catch (OutpostException)
        {
            // A clear refusal is one of the two acceptable outcomes.
        }
    }
}
