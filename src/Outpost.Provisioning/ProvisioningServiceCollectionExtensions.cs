using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Outpost.Core.Errors;
using Outpost.Provisioning.Instances;
using Outpost.Provisioning.Registration;
using Outpost.Provisioning.ServiceApi;

namespace Outpost.Provisioning;

public static class ProvisioningServiceCollectionExtensions
{
    /// <summary>The Device Provisioning Service data planes. Needs the store and an <see cref="Core.SharedAccess.IAccessPolicies"/>.</summary>
    public static IServiceCollection AddOutpostProvisioning(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProvisioningInstances>();
        services.TryAddSingleton<ServiceCaller>();
        services.TryAddSingleton<ProvisioningServiceApi>();
        services.TryAddSingleton<Attestation>();
        services.AddHttpClient<CustomAllocationWebhook>();
        services.TryAddSingleton<RegistrationService>();
        services.TryAddSingleton(provider => new ProvisioningMqtt(provider.GetRequiredService<ProvisioningInstances>(), provider.GetRequiredService<RegistrationService>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<ProvisioningMqtt>>()));
        return services;
    }

    /// <summary>
    /// Maps the service API on every DPS instance's host name (<c>{name}.dps.{dnsSuffix}</c>). Its errors use DPS's
    /// JSON shape rather than ARM's.
    /// </summary>
    public static IEndpointRouteBuilder MapOutpostProvisioning(this IEndpointRouteBuilder endpoints, string dnsSuffix)
    {
        // The global device endpoint is listed first: it is also a name under *.dps., and its routes are the device ones.
        var device = endpoints.MapGroup(string.Empty).RequireHost($"global.dps.{dnsSuffix}");
        device.AddEndpointFilter(WriteProvisioningErrorsAsync);
        device.MapRegistration();

        var service = endpoints.MapGroup(string.Empty).RequireHost($"*.dps.{dnsSuffix}");
        service.AddEndpointFilter(WriteProvisioningErrorsAsync);
        service.MapEnrollments();
        service.MapRegistrationStates();
        return endpoints;
    }

    private static async ValueTask<object?> WriteProvisioningErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OutpostException exception)
        {
            var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            await ProvisioningErrors.WriteAsync(context.HttpContext, exception, time.GetUtcNow());
            return Results.Empty;
        }
    }
}
