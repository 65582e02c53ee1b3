using Outpost.IotHub.Hubs;
using Outpost.IotHub.Throttling;

namespace Outpost.IotHub.ServiceApi;

/// <summary>The hub a service call is for (by its Host header), after its api-version and caller were checked.</summary>
internal sealed class HubServiceApi(HubInstances hubs, HubServiceCaller caller, HubThrottles throttles)
{
    /// <summary>The versions azure-iothub and the generated service clients send; the wire format is the same for all of them.</summary>
    public static readonly IReadOnlyList<string> ApiVersions =
        ["2018-06-30", "2019-03-30", "2019-10-01", "2020-03-13", "2020-06-30", "2020-09-30", "2021-04-12", "2023-06-30"];

    public async Task<HubInstance> AuthorizeAsync(HttpContext context, HubAccess access, CancellationToken cancellationToken)
    {
        var version = context.Request.Query["api-version"].ToString();
        if (!ApiVersions.Contains(version))
        {
            throw new HubException(HubError.ArgumentInvalid,
                $"The api-version '{version}' is not supported by the hub's service API; use one of {string.Join(", ", ApiVersions)}.");
        }

        var hub = await hubs.ByHostNameAsync(context.Request.Host.Host, cancellationToken)
            ?? throw new HubException(HubError.HubNotFound, $"No IoT hub has the host name '{context.Request.Host.Host}'.");
        await caller.DemandAsync(context, hub, access, cancellationToken);
        if (access.IsRegistryOperation && !throttles.TryTake(hub, ThrottledOperation.RegistryOperations))
        {
            throw new HubException(HubError.Throttled,
                $"Hub '{hub.Name}' is over its rate of identity registry operations ({hub.Sku.Name}, {hub.Units} unit(s)); retry in a few seconds, or add units.");
        }

        return hub;
    }
}
