using Outpost.Core.Hubs;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Core.SharedAccess;
using Outpost.Management.SharedAccess;

namespace Outpost.Management.IotHubs;

/// <summary>A hub's actions: its keys, its quotas and statistics, its SKUs, and whether a hub name is free.</summary>
internal static class IotHubActionEndpoints
{
    public static void MapIotHubActions(this IEndpointRouteBuilder management)
    {
        management.MapPost(IotHubEndpoints.Item + "/listkeys", ListKeysAsync);
        management.MapPost(IotHubEndpoints.Item + "/IotHubKeys/{keyName}/listkeys", GetKeyAsync);
        management.MapGet(IotHubEndpoints.Item + "/quotaMetrics", QuotaMetricsAsync);
        management.MapGet(IotHubEndpoints.Item + "/IotHubStats", StatsAsync);
        management.MapGet(IotHubEndpoints.Item + "/skus", SkusAsync);
        management.MapPost("/subscriptions/{subscriptionId}/providers/Microsoft.Devices/checkNameAvailability", CheckNameAvailabilityAsync);
    }

    private static async Task<IResult> ListKeysAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "listkeys/action", context, services, cancellationToken);
        var rules = await services.AccessPolicies.GetAsync(hub.Id, cancellationToken);
        return ArmJson.Ok(new JsonObject { ["value"] = AccessRuleSet.ToJson(rules, withKeys: true) });
    }

    private static async Task<IResult> GetKeyAsync(string subscriptionId, string resourceGroupName, string resourceName, string keyName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "listkeys/action", context, services, cancellationToken);
        var rules = await services.AccessPolicies.GetAsync(hub.Id, cancellationToken);
        var rule = AccessRuleSet.Find(rules, keyName, "hub");
        return ArmJson.Ok(AccessRuleSet.ToJson([rule], withKeys: true)[0]!);
    }

    /// <summary>The daily message quota follows from the tier and the number of units.</summary>
    private static async Task<IResult> QuotaMetricsAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = ArmScopes.Body(await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "read", context, services, cancellationToken));
        var sku = IotHubSku.Find(hub["sku"]!["name"]!.GetValue<string>());
        var units = hub["sku"]!["capacity"]!.GetValue<int>();
        return ArmJson.Ok(new JsonObject
        {
            ["value"] = new JsonArray(
                new JsonObject { ["name"] = "TotalMessages", ["currentValue"] = 0, ["maxValue"] = sku.DailyMessagesPerUnit * units },
                new JsonObject { ["name"] = "TotalDeviceCount", ["currentValue"] = 0, ["maxValue"] = sku.MaxDevices }),
        });
    }

    private static async Task<IResult> StatsAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "read", context, services, cancellationToken);
        return ArmJson.Ok(new JsonObject { ["totalDeviceCount"] = 0, ["enabledDeviceCount"] = 0, ["disabledDeviceCount"] = 0 });
    }

    private static async Task<IResult> SkusAsync(string subscriptionId, string resourceGroupName, string resourceName, HttpContext context,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var hub = ArmScopes.Body(await IotHubEndpoints.RequireAsync(subscriptionId, resourceGroupName, resourceName, "read", context, services, cancellationToken));
        var current = IotHubSku.Find(hub["sku"]!["name"]!.GetValue<string>());
        var reachable = IotHubSku.All.Where(sku => sku.Tier == current.Tier || (current.Tier == "Basic" && sku.Tier == "Standard"));
        return ArmJson.Ok(new JsonObject
        {
            ["value"] = new JsonArray([.. reachable.Select(sku => (JsonNode)new JsonObject
            {
                ["resourceType"] = IotHubIds.Type,
                ["sku"] = new JsonObject { ["name"] = sku.Name, ["tier"] = sku.Tier },
                ["capacity"] = new JsonObject { ["minimum"] = 1, ["maximum"] = sku.MaxUnits, ["default"] = 1, ["scaleType"] = sku.MaxUnits == 1 ? "None" : "Manual" },
            })]),
        });
    }

    private static async Task<IResult> CheckNameAvailabilityAsync(string subscriptionId, HttpContext context, ManagementServices services, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersions.IotHub, IotHubIds.Type);
        await services.Access.DemandAsync(context.User, ArmScopes.Subscription(subscriptionId), "Microsoft.Devices/checkNameAvailability/action", cancellationToken);
        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var name = ArmJson.OptionalString(body, "name", "name") ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "Send {\"name\":\"<hub name>\"}.", "name");
        return ArmJson.Ok(await NameAvailability.CheckAsync(IotHubNames.Problem(name), IotHubIds.HostName(name, services.Server.Value.DnsSuffix), "IoT hub", name, services.Store, cancellationToken));
    }
}
