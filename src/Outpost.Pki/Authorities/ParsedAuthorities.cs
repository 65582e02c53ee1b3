using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outpost.Pki.Certificates;

namespace Outpost.Pki.Authorities;

/// <summary>An issuing CA's certificate, parsed once, with its validity window and a checked link to its root.</summary>
internal sealed record ParsedIssuingAuthority(X509Certificate2 Certificate, CertificateValidity Validity);

/// <summary>
/// Parses each issuing CA (and checks it against its root) once instead of per issuance: every X.509 parse goes
/// through OpenSSL's decoders and their locks, and under load that showed up beside the signature itself.
/// </summary>
/// <remarks>
/// Keyed by the hashes of both certificates' bytes, so a rotated or replaced CA is simply a new entry. The parsed
/// certificates are only read after they are cached. The cache is bounded: past <see cref="Capacity"/> entries it
/// starts over, which costs one parse per CA.
/// </remarks>
internal sealed class ParsedAuthorities : IDisposable
{
    internal const int Capacity = 256;

    private readonly ConcurrentDictionary<string, ParsedIssuingAuthority> _parsed = new(StringComparer.Ordinal);

    /// <exception cref="InvalidOperationException"><paramref name="issuing"/> was not issued by <paramref name="root"/>.</exception>
    internal ParsedIssuingAuthority Get(CertificateAuthorityMaterial issuing, CertificateAuthorityMaterial root)
    {
        var key = Convert.ToHexString(SHA256.HashData(issuing.CertificateDer)) + Convert.ToHexString(SHA256.HashData(root.CertificateDer));
        if (_parsed.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var parsed = Parse(issuing, root);
        if (_parsed.Count >= Capacity)
        {
            // Entries are not disposed here: another thread may still be issuing with one; the finalizer frees them.
            _parsed.Clear();
        }

        if (!_parsed.TryAdd(key, parsed))
        {
            parsed.Certificate.Dispose();
            return _parsed.TryGetValue(key, out var winner) ? winner : Get(issuing, root);
        }

        return parsed;
    }

    public void Dispose()
    {
        foreach (var parsed in _parsed.Values)
        {
            parsed.Certificate.Dispose();
        }

        _parsed.Clear();
    }

    // A wrong root would hand devices a chain that does not verify; a name check catches a mixed-up pair cheaply.
    private static ParsedIssuingAuthority Parse(CertificateAuthorityMaterial issuing, CertificateAuthorityMaterial root)
    {
        var certificate = X509CertificateLoader.LoadCertificate(issuing.CertificateDer);
        using X509Certificate2 rootCertificate = X509CertificateLoader.LoadCertificate(root.CertificateDer);
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(rootCertificate.SubjectName.RawData))
        {
            var message = $"The issuing CA '{certificate.Subject}' was issued by '{certificate.Issuer}', not by the given root '{rootCertificate.Subject}'.";
            certificate.Dispose();
            throw new InvalidOperationException(message);
        }

        return new ParsedIssuingAuthority(certificate, CertificateValidity.Read(issuing.CertificateDer));
    }
}
