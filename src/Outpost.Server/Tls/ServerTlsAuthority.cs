using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Outpost.Core;
using Outpost.Core.Storage;
using Outpost.Pki.Authorities;
using Outpost.Pki.KeyProtection;

namespace Outpost.Server.Tls;

/// <summary>
/// The CA that signs the server's TLS certificates (<c>tls/ca.pem</c>, which clients trust), and a certificate per
/// host name chosen by SNI. One certificate per name, rather than a wildcard, because Node.js refuses
/// <c>*.localhost</c> for <c>myhub.localhost</c>. Only names Outpost owns get a certificate: localhost, the DNS
/// suffix and names under it, and this machine's name, so trusting <c>ca.pem</c> never vouches for anyone else.
/// </summary>
internal sealed partial class ServerTlsAuthority(
    IOutpostStore store,
    KeyProtector keyProtector,
    CertificateAuthorityFactory factory,
    TimeProvider timeProvider,
    IOptions<OutpostOptions> options,
    ILogger<ServerTlsAuthority> logger) : IDisposable
{
    private const string KeyOwner = "outpost:tls-ca";

    /// <summary>Server certificates are minted on demand and renewed well before they lapse; a year keeps them inside browsers' limits.</summary>
    private static readonly TimeSpan ServerCertificateLifetime = TimeSpan.FromDays(365);

    private readonly ConcurrentDictionary<string, SslStreamCertificateContext> byName = new(StringComparer.OrdinalIgnoreCase);
    private X509Certificate2? authority;

    /// <summary>Loads the TLS CA, creating it and writing <c>tls/ca.pem</c> on first start.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var stored = await store.GetSigningKeyAsync(KeyOwner, cancellationToken);
        if (stored is null)
        {
            var material = factory.CreateRoot("Outpost TLS CA", KeyOwner, TimeSpan.FromDays(3653));
            stored = new StoredSigningKey(KeyOwner, material.CertificateDer, material.ProtectedPrivateKey);
            await store.CommitAsync(new StoreChangeSet().PutSigningKey(stored), cancellationToken);
        }

        using var certificate = X509CertificateLoader.LoadCertificate(stored.CertificateDer);
        // The TLS CA key stays open for the server's life: it signs a certificate for each new host name.
        using var key = SigningKeys.Open(keyProtector, stored.ProtectedPrivateKey, KeyOwner, certificate);
        authority = certificate.CopyWithPrivateKey(key);
        WriteTrustAnchor(certificate);
    }

    /// <summary>
    /// The certificate for the SNI name of a handshake, as a ready context: built once per name, so handshakes do not
    /// rebuild its chain. Unknown names get the localhost certificate, so the client's own name check refuses them.
    /// </summary>
    public SslStreamCertificateContext GetCertificateContext(string? hostName)
    {
        var name = string.IsNullOrEmpty(hostName) || !IsOwned(hostName) ? "localhost" : hostName.TrimEnd('.');
        var now = timeProvider.GetUtcNow();
        if (byName.TryGetValue(name, out var cached) && cached.TargetCertificate.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(30))
        {
            return cached;
        }

        // The TLS CA is the clients' trust anchor, so the chain sent is the leaf alone; offline: no revocation fetching.
        var fresh = SslStreamCertificateContext.Create(Create(name, now), additionalCertificates: [], offline: true);
        byName[name] = fresh;
        return fresh;
    }

    public void Dispose()
    {
        authority?.Dispose();
        foreach (var context in byName.Values)
        {
            context.TargetCertificate.Dispose();
        }
    }

    private bool IsOwned(string hostName)
    {
        var suffix = options.Value.DnsSuffix.Trim('.');
        var name = hostName.TrimEnd('.');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, suffix, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, Environment.MachineName, StringComparison.OrdinalIgnoreCase);
    }

    private X509Certificate2 Create(string name, DateTimeOffset now)
    {
        var issuer = authority ?? throw new InvalidOperationException("The TLS CA is not loaded yet; the server is still starting.");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        if (name == "localhost")
        {
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var notAfter = now + ServerCertificateLifetime < issuer.NotAfter ? now + ServerCertificateLifetime : new DateTimeOffset(issuer.NotAfter.ToUniversalTime());
        using var signed = request.Create(issuer, now.AddMinutes(-5), notAfter, PositiveSerial());
        LogServerCertificate(logger, name, signed.SerialNumber);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>128 random bits with the top bit clear (a positive DER integer) and a non-zero first byte (no leading-zero trimming).</summary>
    private static byte[] PositiveSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private void WriteTrustAnchor(X509Certificate2 certificate)
    {
        var directory = Path.Combine(options.Value.DataDirectory, "tls");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "ca.pem");
        var pem = certificate.ExportCertificatePem() + "\n";
        if (!File.Exists(path) || File.ReadAllText(path) != pem)
        {
            File.WriteAllText(path + ".tmp", pem);
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }

    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, EventName = "ServerCertificateIssued",
        Message = "Issued TLS server certificate for {HostName}, serial {SerialNumber}")]
    private static partial void LogServerCertificate(ILogger logger, string hostName, string serialNumber);
}
