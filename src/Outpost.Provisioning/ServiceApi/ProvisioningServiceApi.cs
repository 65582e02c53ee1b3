using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Provisioning.Instances;

namespace Outpost.Provisioning.ServiceApi;

/// <summary>What every service API handler needs: the instance the request's host name names, its authentication, the store and the clock.</summary>
internal sealed class ProvisioningServiceApi(ProvisioningInstances instances, ServiceCaller caller, IOutpostStore store, TimeProvider time)
{
    public IOutpostStore Store => store;

    public TimeProvider Time => time;

    /// <summary>Refuses calls without the api-version the service API serves, for hosts that are no DPS instance, or without the right.</summary>
    public async Task<ProvisioningInstance> AuthorizeAsync(HttpContext context, string right, CancellationToken cancellationToken)
    {
        var dataAction = right switch
        {
            "EnrollmentRead" => "Microsoft.Devices/provisioningServices/enrollments/read",
            "EnrollmentWrite" => "Microsoft.Devices/provisioningServices/enrollments/write",
            "RegistrationStatusRead" => "Microsoft.Devices/provisioningServices/registrationStates/read",
            _ => "Microsoft.Devices/provisioningServices/registrationStates/write",
        };
        return await AuthorizeAsync(context, right, dataAction, cancellationToken);
    }

    private async Task<ProvisioningInstance> AuthorizeAsync(HttpContext context, string right, string dataAction, CancellationToken cancellationToken)
    {
        var version = context.Request.Query["api-version"].ToString();
        if (!EnrollmentEndpoints.ApiVersions.Contains(version))
        {
            throw new OutpostException(ErrorCode.InvalidApiVersionParameter,
                $"The api-version '{version}' is not supported by the provisioning service API; use one of {string.Join(", ", EnrollmentEndpoints.ApiVersions)}.", "api-version");
        }

        var instance = await instances.ByHostNameAsync(context.Request.Host.Host, cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"No provisioning service has the host name '{context.Request.Host.Host}'.");
        await caller.DemandAsync(context, instance, right, dataAction, cancellationToken);
        return instance;
    }
}
