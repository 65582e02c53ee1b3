using System.Security.Cryptography;
using System.Text;
using Outpost.Core.Errors;
using Outpost.Pki.Tests.TestSupport;

namespace Outpost.Pki.Tests.Issuance;

public sealed class CsrRefusalTests
{
    [Theory]
    [InlineData("fail/rsa", "The CSR has an RSA key; only EC keys on curves P-256, P-384 are accepted.")]
    [InlineData("fail/ecdsa-p521", "The CSR has an EC key on curve P-521; only EC keys on curves P-256, P-384 are accepted.")]
    [InlineData("fail/broken-signature", "signature does not verify")]
    [InlineData("fail/broken-signature", "proof of possession")]
    [InlineData("fail/cn-mismatch", "The CSR subject CN 'device-002' does not match the device identity 'device-001'")]
    [InlineData("fail/cn-case", "The CSR subject CN 'DEVICE-001' does not match the device identity 'device-001'")]
    [InlineData("fail/no-cn", "The CSR subject has no common name (CN); expected CN='device-001'")]
    [InlineData("fail/two-cns", "The CSR subject has 2 common names (CN)")]
    [InlineData("fail/garbage", "The certificate signing request could not be decoded as a DER PKCS#10 request.")]
    [InlineData("fail/pem-armour", "The certificate signing request could not be decoded as a DER PKCS#10 request.")]
    [InlineData("fail/truncated", "The certificate signing request could not be decoded as a DER PKCS#10 request.")]
    [InlineData("fail/empty", "The certificate signing request is empty.")]
    public void CsrIsRejectedWithAHelpfulMessage(string label, string expectedMessage)
    {
        var pki = new TestPki();
        byte[] csr = Csr(label);

        var error = Assert.Throws<OutpostException>(() => pki.Issue(csr));

        Assert.Equal(ErrorCode.CsrRejected, error.Code);
        Assert.Equal("csr", error.Target);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CnEchoedInTheMessageIsSanitised()
    {
        var pki = new TestPki();
        string longName = "evil\u0001" + new string('x', 200);

        var error = Assert.Throws<OutpostException>(() => pki.Issue(DeviceCsr.P256("CN=" + longName)));

        Assert.DoesNotContain("\u0001", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 100), error.Message, StringComparison.Ordinal);
    }

    private static byte[] Csr(string label) => label switch
    {
        "fail/rsa" => DeviceCsr.Rsa(),
        "fail/ecdsa-p521" => DeviceCsr.Ec(ECCurve.NamedCurves.nistP521),
        "fail/broken-signature" => DeviceCsr.WithBrokenSignature(DeviceCsr.P256()),
        "fail/cn-mismatch" => DeviceCsr.P256("CN=device-002"),
        "fail/cn-case" => DeviceCsr.P256("CN=DEVICE-001"),
        "fail/no-cn" => DeviceCsr.P256("O=Contoso"),
        "fail/two-cns" => DeviceCsr.P256("CN=device-001, CN=device-001"),
        "fail/garbage" => Encoding.ASCII.GetBytes("this is not a certificate signing request"),
        "fail/pem-armour" => Encoding.ASCII.GetBytes(PemEncoding.Write("CERTIFICATE REQUEST", DeviceCsr.P256())),
        "fail/truncated" => DeviceCsr.P256()[..40],
        "fail/empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(label)),
    };
}
