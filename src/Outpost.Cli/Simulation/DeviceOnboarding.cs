using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Outpost.Cli.Session;

namespace Outpost.Cli.Simulation;

/// <summary>
/// Zero-touch onboarding as a real device does it over DPS's HTTPS endpoint: a SAS derived from the enrollment
/// group's key, a fresh P-256 key and CSR, register, poll until assigned, and keep the issued certificate with its key.
/// </summary>
internal sealed class DeviceOnboarding(ServerConnection server, string provisioningHost, string idScope, string groupKey)
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
        var deviceKey = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(groupKey), Encoding.UTF8.GetBytes(registrationId)));
        var token = ServerConnection.Sas($"{idScope}/registrations/{registrationId}", deviceKey, "registration");
        var path = $"/{idScope}/registrations/{Uri.EscapeDataString(registrationId)}";
        var (started, _) = await server.HostAsync(HttpMethod.Put, provisioningHost, $"{path}/register?api-version={ApiVersion}", token,
            new JsonObject { ["registrationId"] = registrationId, ["csr"] = Convert.ToBase64String(csr) }.ToJsonString(), null, cancellationToken);
        var operation = started!["operationId"]!.GetValue<string>();
        for (var poll = 0; poll < 60; poll++)
        {
            var (status, _) = await server.HostAsync(HttpMethod.Get, provisioningHost, $"{path}/operations/{operation}?api-version={ApiVersion}", token, null, null,
                cancellationToken);
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

    /// <summary>TLS on Linux wants the key in a form it can persist; a PKCS#12 round trip gives that.</summary>
    public static X509Certificate2 Exportable(X509Certificate2 leaf, ECDsa key)
    {
        using var withKey = leaf.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }
}
