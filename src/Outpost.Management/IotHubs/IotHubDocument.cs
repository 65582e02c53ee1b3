using Outpost.Core.Hubs;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.DeviceRegistry;
using Outpost.Management.Identity;
using Outpost.Core.SharedAccess;
using Outpost.Management.SharedAccess;

namespace Outpost.Management.IotHubs;

/// <summary>
/// Turns a hub PUT into the hub's JSON: validates every setting Outpost acts on, applies Azure's defaults, keeps
/// settings it stores for later features (routing, cloud-to-device) as sent, and adds the shared access policies,
/// identities and namespace link to the change set.
/// </summary>
internal static class IotHubDocument
{
    private static readonly string[] PassThrough =
    [
        "cloudToDevice", "routing", "storageEndpoints", "messagingEndpoints", "ipFilterRules", "networkRuleSets", "features", "comments",
        "enableFileUploadNotifications", "enableDataResidency", "rootCertificate", "ipVersion", "restrictOutboundNetworkAccess", "allowedFqdnList",
    ];

    public static async Task<JsonObject> BuildAsync(JsonObject body, StoredResource? existing, ResourceNameParts hub, ArmCaller caller, StoreChangeSet changes,
        ManagementServices services, CancellationToken cancellationToken)
    {
        var current = existing is null ? null : ArmScopes.Body(existing);
        var currentProperties = current?["properties"] as JsonObject;
        var requested = ArmJson.OptionalObject(body, "properties", "properties") ?? [];

        var location = TrackedResources.Location(body, current, services, IotHubIds.Type, "IoT hub");
        var sku = await SkuAsync(body, current, hub, services, cancellationToken);
        var properties = new JsonObject
        {
            ["minTlsVersion"] = MinTlsVersion(requested, currentProperties),
            ["publicNetworkAccess"] = PublicNetworkAccess(requested, currentProperties),
            ["disableLocalAuth"] = Flag(requested, currentProperties, "disableLocalAuth"),
            ["disableDeviceSAS"] = Flag(requested, currentProperties, "disableDeviceSAS"),
            ["disableModuleSAS"] = Flag(requested, currentProperties, "disableModuleSAS"),
            ["eventHubEndpoints"] = Events(requested, currentProperties, hub, sku, services),
        };
        foreach (var name in PassThrough)
        {
            var value = requested[name] ?? currentProperties?[name];
            if (value is not null)
            {
                properties[name] = value.DeepClone();
            }
        }

        var rules = AccessRuleSet.IotHub.Resolve(
            ArmJson.OptionalArray(requested, "authorizationPolicies", "properties.authorizationPolicies"),
            existing is null ? null : await services.AccessPolicies.GetAsync(hub.Id, cancellationToken));
        services.AccessPolicies.Put(changes, hub.Id, rules);
        properties["authorizationPolicies"] = AccessRuleSet.ToJson(rules, withKeys: false);

        var identity = await ResourceIdentity.ResolveAsync(ArmJson.OptionalObject(body, "identity", "identity"), current?["identity"] as JsonObject,
            hub.Id, hub.Name, services.Identity.TenantId, changes, services.Store, cancellationToken);
        var link = await IotHubNamespaceLink.ResolveAsync(requested, currentProperties, identity, sku, hub, changes, services, cancellationToken);
        if (link is not null)
        {
            properties["deviceRegistry"] = link;
        }

        var hostName = IotHubIds.HostName(hub.Name, services.Server.Value.DnsSuffix);
        properties["provisioningState"] = "Succeeded";
        properties["state"] = "Active";
        properties["hostName"] = currentProperties?["hostName"]?.GetValue<string>() ?? hostName;
        properties["locations"] = new JsonArray(new JsonObject { ["location"] = location, ["role"] = "primary" });

        var now = services.Time.GetUtcNow();
        var document = new JsonObject
        {
            ["id"] = hub.Id,
            ["name"] = current?["name"]?.GetValue<string>() ?? hub.Name,
            ["type"] = IotHubIds.Type,
            ["location"] = location,
            ["tags"] = ArmJson.Tags(body),
            ["etag"] = TrackedResources.NewEtag(),
            ["sku"] = new JsonObject { ["name"] = sku.Sku.Name, ["tier"] = sku.Sku.Tier, ["capacity"] = sku.Units },
            ["properties"] = properties,
            ["systemData"] = current is null ? SystemData.Create(caller, now) : SystemData.Touch(current["systemData"], caller, now),
        };
        if (identity is not null)
        {
            document["identity"] = identity;
        }

        return document;
    }

    private static async Task<(IotHubSku Sku, int Units)> SkuAsync(JsonObject body, JsonObject? current, ResourceNameParts hub, ManagementServices services,
        CancellationToken cancellationToken)
    {
        var requested = ArmJson.OptionalObject(body, "sku", "sku");
        var currentSku = current is null ? null : IotHubSku.Find(current["sku"]!["name"]!.GetValue<string>());
        if (requested is null)
        {
            return currentSku is not null
                ? (currentSku, current!["sku"]!["capacity"]!.GetValue<int>())
                : throw new OutpostException(ErrorCode.InvalidRequestContent, "An IoT hub needs a 'sku', for example {\"name\":\"S1\",\"capacity\":1} or {\"name\":\"GEN2\",\"capacity\":1}.", "sku");
        }

        var sku = IotHubSku.Find(ArmJson.OptionalString(requested, "name", "sku.name"));
        currentSku?.RequireChangeTo(sku);
        var units = sku.RequireUnits(ArmJson.OptionalInt(requested, "capacity", "sku.capacity", int.MinValue, int.MaxValue));
        if (sku.Tier == "Free" && currentSku is null)
        {
            var hubs = await services.Store.GetResourcesAsync(new ResourceQuery(IotHubIds.Type, hub.SubscriptionId), cancellationToken);
            var free = hubs.FirstOrDefault(other => ArmScopes.Body(other)["sku"]?["name"]?.GetValue<string>() == "F1");
            if (free is not null)
            {
                throw new OutpostException(ErrorCode.InvalidParameter,
                    $"A subscription may have one free (F1) hub, and '{free.Id}' is it. Choose another tier or delete that hub.", "sku.name");
            }
        }

        return (sku, units);
    }

    /// <summary>Azure fixes the TLS floor at creation; the walkthrough's default is 1.2.</summary>
    private static string MinTlsVersion(JsonObject requested, JsonObject? current)
    {
        var value = ArmJson.OptionalString(requested, "minTlsVersion", "properties.minTlsVersion");
        var existing = current?["minTlsVersion"]?.GetValue<string>();
        if (existing is not null)
        {
            return value is null || value == existing
                ? existing
                : throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                    $"minTlsVersion is set when a hub is created and cannot be changed (it is '{existing}', the request asks for '{value}').", "properties.minTlsVersion");
        }

        return value is null or "1.2" or "1.0"
            ? value ?? "1.2"
            : throw new OutpostException(ErrorCode.InvalidParameter, $"minTlsVersion '{value}' is not supported; use '1.2' (or '1.0').", "properties.minTlsVersion");
    }

    private static string PublicNetworkAccess(JsonObject requested, JsonObject? current)
    {
        var value = ArmJson.OptionalString(requested, "publicNetworkAccess", "properties.publicNetworkAccess") ?? current?["publicNetworkAccess"]?.GetValue<string>() ?? "Enabled";
        return value is "Enabled" or "Disabled"
            ? value
            : throw new OutpostException(ErrorCode.InvalidParameter, $"publicNetworkAccess '{value}' is not valid; use 'Enabled' or 'Disabled'.", "properties.publicNetworkAccess");
    }

    private static bool Flag(JsonObject requested, JsonObject? current, string name) =>
        ArmJson.OptionalBool(requested, name, $"properties.{name}") ?? current?[name]?.GetValue<bool>() ?? false;

    /// <summary>The built-in events endpoint: 2–32 partitions (2 on F1), fixed after creation; 1–7 days of retention.</summary>
    private static JsonObject Events(JsonObject requested, JsonObject? current, ResourceNameParts hub, (IotHubSku Sku, int Units) sku, ManagementServices services)
    {
        var events = ArmJson.OptionalObject(requested, "eventHubEndpoints", "properties.eventHubEndpoints") is { } endpoints
            ? ArmJson.OptionalObject(endpoints, "events", "properties.eventHubEndpoints.events")
            : null;
        var currentEvents = current?["eventHubEndpoints"]?["events"];
        var maximum = sku.Sku.Tier == "Free" ? 2 : 32;
        var partitions = events is null ? null : ArmJson.OptionalInt(events, "partitionCount", "properties.eventHubEndpoints.events.partitionCount", 2, maximum);
        var currentPartitions = currentEvents?["partitionCount"]?.GetValue<int>();
        if (currentPartitions is not null && partitions is not null && partitions != currentPartitions)
        {
            throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                $"The device-to-cloud partition count is set when a hub is created and cannot be changed (it is {currentPartitions}).", "properties.eventHubEndpoints.events.partitionCount");
        }

        var count = currentPartitions ?? partitions ?? (sku.Sku.Tier == "Free" ? 2 : 4);
        var retention = (events is null ? null : ArmJson.OptionalInt(events, "retentionTimeInDays", "properties.eventHubEndpoints.events.retentionTimeInDays", 1, 7))
            ?? currentEvents?["retentionTimeInDays"]?.GetValue<int>() ?? 1;
        return new JsonObject
        {
            ["events"] = new JsonObject
            {
                ["retentionTimeInDays"] = retention,
                ["partitionCount"] = count,
                ["partitionIds"] = new JsonArray([.. Enumerable.Range(0, count).Select(index => (JsonNode)index.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                ["path"] = hub.Name.ToLowerInvariant(),
                ["endpoint"] = $"sb://{IotHubIds.HostName(hub.Name, services.Server.Value.DnsSuffix)}/",
            },
        };
    }
}
