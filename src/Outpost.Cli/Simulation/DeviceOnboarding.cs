using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Outpost.Cli.Session;

namespace Outpost.Cli.Simulation;

/// <summary>How a simulated device proves itself to DPS: a key derived from a symmetric-key group's, or a bootstrap certificate an X.509 group's CA signed.</summary>
internal abstract record OnboardingCredential
{
    private OnboardingCredential()
    {
    }

    public sealed record GroupKey(string Key) : OnboardingCredential;

    /// <summary>The enrollment group's signing certificate with its private key; each device gets a bootstrap certificate from it.</summary>
    public sealed record SigningCertificate(X509Certificate2 Authority) : OnboardingCredential;
}

/// <summary>
/// Zero-touch onboarding as a real device does it over DPS's HTTPS endpoint: a SAS derived from the enrollment
/// group's key or a bootstrap certificate from the group's CA, a fresh P-256 key and CSR, register, poll until
/// assigned, and keep the issued certificate with its key.
/// </summary>
internal sealed class DeviceOnboarding(ServerConnection server, string provisioningHost, string idScope, OnboardingCredential credential)
{
    private const string ApiVersion = "2025-07-01-preview";

    public async Task<(string AssignedHub, X509Certificate2 Certificate)> RegisterAsync(string registrationId, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return await RegisterAsync(registrationId, key, cancellationToken);
    }

    public async Task<(string AssignedHub, X509Certificate2 Certificate)> RegisterAsync(string registrationId, ECDsa key, CancellationToken cancellationToken)
    {
        var csr = new CertificateRequest($"CN={registrationId}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var path = $"/{idScope}/registrations/{Uri.EscapeDataString(registrationId)}";
        using var bootstrap = credential is OnboardingCredential.SigningCertificate signing ? BootstrapCertificate(registrationId, signing.Authority) : null;
        var token = credential is OnboardingCredential.GroupKey group
            ? ServerConnection.Sas($"{idScope}/registrations/{registrationId}",
                Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(group.Key), Encoding.UTF8.GetBytes(registrationId))), "registration")
            : string.Empty;
        Task<JsonNode?> SendAsync(HttpMethod method, string pathAndQuery, string? body) => bootstrap is not null
            ? server.WithCertificateAsync(bootstrap, method, provisioningHost, pathAndQuery, body, cancellationToken)
            : SendWithTokenAsync(method, pathAndQuery, body);
        async Task<JsonNode?> SendWithTokenAsync(HttpMethod method, string pathAndQuery, string? body) =>
            (await server.HostAsync(method, provisioningHost, pathAndQuery, token, body, null, cancellationToken)).Body;

        var started = await SendAsync(HttpMethod.Put, $"{path}/register?api-version={ApiVersion}",
            new JsonObject { ["registrationId"] = registrationId, ["csr"] = Convert.ToBase64String(csr) }.ToJsonString());
        var operation = started!["operationId"]!.GetValue<string>();
        for (var poll = 0; poll < 60; poll++)
        {
            var status = await SendAsync(HttpMethod.Get, $"{path}/operations/{operation}?api-version={ApiVersion}", null);
            switch (status?["status"]?.GetValue<string>())
            {
                case "assigned":
                    var state = status["registrationState"]!;
                    var chain = state["issuedCertificateChain"]?.AsArray()
                        ?? throw new CliException(CliException.Failure, "NoCertificateIssued",
                            $"{registrationId} was assigned without a certificate: its enrollment group needs a --credential-policy.");
                    using (var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(chain[0]!.GetValue<string>())))
                    {
                        return (state["assignedHub"]!.GetValue<string>(), Exportable(leaf, key));
                    }

                case "failed":
                    throw new CliException(CliException.Failure, status["registrationState"]?["errorCode"]?.ToString() ?? "RegistrationFailed",
                        status["registrationState"]?["errorMessage"]?.GetValue<string>() ?? $"{registrationId} failed to register.");
                default:
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    break;
            }
        }

        throw new CliException(CliException.Failure, "RegistrationTimedOut", $"{registrationId} was not assigned within a minute.");
    }

    /// <summary>A one-day bootstrap certificate for the device (CN = its registration id, client authentication), signed by the group's CA.</summary>
    private static X509Certificate2 BootstrapCertificate(string registrationId, X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={registrationId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = new DateTimeOffset(Math.Min(now.AddDays(1).UtcTicks, authority.NotAfter.ToUniversalTime().Ticks), TimeSpan.Zero);
        using var signed = request.Create(authority, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        return Exportable(signed, key);
    }

    /// <summary>TLS on Linux wants the key in a form it can persist; a PKCS#12 round trip gives that.</summary>
    public static X509Certificate2 Exportable(X509Certificate2 leaf, ECDsa key)
    {
        using var withKey = leaf.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }
}
