using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Outpost.Pki.Issuance;

/// <summary>Accepts only EC keys on a named curve from <see cref="PkiOptions.AllowedCurves"/>; never RSA.</summary>
internal sealed class CsrKeyValidator : ICsrValidator
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private static readonly Dictionary<string, string> AlgorithmNameByOid = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.1"] = "RSA",
        ["1.2.840.113549.1.1.10"] = "RSA",
        ["1.2.840.10040.4.1"] = "DSA",
        ["1.3.101.112"] = "Ed25519",
        ["1.3.101.113"] = "Ed448",
    };

    public void Validate(IssuanceContext context)
    {
        List<string> allowed = [.. context.Options.AllowedCurves.Select(CurveNames.Normalize).Distinct(StringComparer.OrdinalIgnoreCase)];
        string expected = allowed.Count == 0
            ? "this server is configured to accept no EC curves."
            : $"only EC keys on curves {string.Join(", ", allowed)} are accepted.";

        PublicKey key = context.Csr.PublicKey;
        string algorithmOid = key.Oid?.Value ?? string.Empty;
        if (algorithmOid != EcPublicKeyOid)
        {
            string algorithm = AlgorithmNameByOid.TryGetValue(algorithmOid, out string? name) ? name : $"unsupported (OID {algorithmOid})";
            string article = algorithm.StartsWith("RSA", StringComparison.Ordinal) ? "an" : "a";
            throw CsrRejection.Create($"The CSR has {article} {algorithm} key; {expected}");
        }

        string? curve = ReadNamedCurve(key.EncodedParameters?.RawData ?? []);
        if (curve is null)
        {
            throw CsrRejection.Create($"The CSR has an EC key with explicit or missing curve parameters; use a named curve: {expected}");
        }

        if (!allowed.Contains(curve, StringComparer.OrdinalIgnoreCase))
        {
            throw CsrRejection.Create($"The CSR has an EC key on curve {curve}; {expected}");
        }
    }

    /// <summary>The display name of the named curve in the ECParameters (RFC 5480 §2.1.1), or null if it is not a named curve.</summary>
    private static string? ReadNamedCurve(byte[] parameters)
    {
        try
        {
            var reader = new AsnReader(parameters, AsnEncodingRules.DER);
            if (!reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                return null;
            }

            string oid = reader.ReadObjectIdentifier();
            reader.ThrowIfNotEmpty();
            return CurveNames.FromOid(oid);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
