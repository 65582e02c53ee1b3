using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outpost.Pki.Authorities;
using Outpost.Pki.Issuance;
using Outpost.Pki.KeyProtection;
using Outpost.Pki.Policies;

namespace Outpost.Pki;

public static class PkiServiceCollectionExtensions
{
    /// <summary>
    /// The key-encryption key (<c>{dataDirectory}/keys/kek.bin</c>, outside the database), the CA factory and the
    /// issuance pipeline. <c>Outpost:Pki:AllowedCurves</c>, when set, replaces the default P-256 and P-384.
    /// </summary>
    public static IServiceCollection AddOutpostPki(this IServiceCollection services, string dataDirectory, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => KeyProtector.LoadOrCreate(Path.Combine(dataDirectory, "keys", "kek.bin")));
        services.TryAddSingleton(_ =>
        {
            var options = new PkiOptions();
            var curves = configuration.GetSection("Outpost:Pki:AllowedCurves").Get<string[]>();
            if (curves is { Length: > 0 })
            {
                options.AllowedCurves.Clear();
                foreach (var curve in curves)
                {
                    options.AllowedCurves.Add(curve);
                }
            }

            if (configuration.GetValue<TimeSpan?>("Outpost:Pki:OpenKeyLifetime") is { } lifetime)
            {
                options.OpenKeyLifetime = lifetime;
            }

            return options;
        });
        services.TryAddSingleton<CertificateAuthorityFactory>();
        services.TryAddSingleton<CertificateIssuer>();
        services.TryAddSingleton<PolicyCertificateService>();
        services.TryAddSingleton<Revocation.RevocationLists>();
        return services;
    }
}
