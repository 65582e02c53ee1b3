using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Management.Arm;
using Outpost.Management.IotHubs;

namespace Outpost.Management.ProvisioningServices;

/// <summary>
/// A DPS instance's <c>iotHubs</c>: each link carries a connection string made from one of the hub's shared access
/// policies. The link is refused unless the string authenticates against the hub and its policy may create devices
/// and connect as them (RegistryWrite, ServiceConnect, DeviceConnect: the walkthrough's iothubowner). Responses show
/// the string with its key masked, and sending a masked string back keeps the stored link.
/// </summary>
internal static class LinkedHubs
{
    private const string Masked = "****";
    private static readonly string[] RequiredRights = ["RegistryWrite", "ServiceConnect", "DeviceConnect"];

    public static async Task<JsonArray> ResolveAsync(JsonArray? requested, JsonArray? current, ManagementServices services, CancellationToken cancellationToken)
    {
        if (requested is null)
        {
            return current?.DeepClone().AsArray() ?? [];
        }

        var links = new JsonArray();
        for (var index = 0; index < requested.Count; index++)
        {
            var path = $"properties.iotHubs[{index}]";
            var item = requested[index] as JsonObject ?? throw new OutpostException(ErrorCode.InvalidRequestContent, $"'{path}' must be an object with connectionString and location.", path);
            var connectionString = ArmJson.OptionalString(item, "connectionString", path + ".connectionString")
                ?? throw new OutpostException(ErrorCode.InvalidRequestContent, $"'{path}.connectionString' is required: the hub's HostName=…;SharedAccessKeyName=…;SharedAccessKey=… string.", path + ".connectionString");
            var parts = Parse(connectionString, path);
            var hubId = await GlobalNames.OwnerAsync(services.Store, GlobalNames.HostNames, parts.HostName, cancellationToken);
            var hub = hubId is null ? null : await services.Store.GetResourceAsync(hubId, cancellationToken);
            if (hub is null)
            {
                throw new OutpostException(ErrorCode.InvalidParameter, $"'{path}.connectionString' names hub host '{parts.HostName}', and no IoT hub on this server has that host name.", path + ".connectionString");
            }

            var rules = await services.AccessPolicies.GetAsync(hub.Id, cancellationToken);
            var rule = rules.FirstOrDefault(candidate => string.Equals(candidate.KeyName, parts.KeyName, StringComparison.OrdinalIgnoreCase))
                ?? throw new OutpostException(ErrorCode.InvalidParameter,
                    $"Hub '{parts.HostName}' has no shared access policy '{parts.KeyName}'; it has {string.Join(", ", rules.Select(known => known.KeyName))}.", path + ".connectionString");
            var kept = parts.Key == Masked && current?.OfType<JsonObject>().Any(link => SameLink(link, parts)) == true;
            if (!kept && parts.Key != rule.PrimaryKey && parts.Key != rule.SecondaryKey)
            {
                throw new OutpostException(ErrorCode.InvalidParameter,
                    $"The connection string for hub '{parts.HostName}' does not authenticate: its key is not a key of policy '{rule.KeyName}'. Copy it from the hub's listkeys.", path + ".connectionString");
            }

            var missing = RequiredRights.Where(right => !rule.Grants(right)).ToList();
            if (missing.Count > 0)
            {
                throw new OutpostException(ErrorCode.InvalidParameter,
                    $"Policy '{rule.KeyName}' of hub '{parts.HostName}' has rights '{rule.Rights}' but a provisioning service needs {string.Join(", ", RequiredRights)} (missing {string.Join(", ", missing)}); use iothubowner.",
                    path + ".connectionString");
            }

            links.Add(new JsonObject
            {
                ["connectionString"] = $"HostName={parts.HostName};SharedAccessKeyName={rule.KeyName};SharedAccessKey={Masked}",
                ["location"] = ArmJson.OptionalString(item, "location", path + ".location") ?? ArmScopes.Body(hub)["location"]!.GetValue<string>(),
                ["name"] = parts.HostName,
                ["allocationWeight"] = ArmJson.OptionalInt(item, "allocationWeight", path + ".allocationWeight", 0, 1000),
                ["applyAllocationPolicy"] = ArmJson.OptionalBool(item, "applyAllocationPolicy", path + ".applyAllocationPolicy"),
                ["resourceId"] = hub.Id,
            });
        }

        return links;
    }

    private static bool SameLink(JsonObject link, (string HostName, string KeyName, string Key) parts)
    {
        var stored = link["connectionString"]?.GetValue<string>() ?? string.Empty;
        return stored.Contains($"HostName={parts.HostName};", StringComparison.OrdinalIgnoreCase)
            && stored.Contains($"SharedAccessKeyName={parts.KeyName};", StringComparison.OrdinalIgnoreCase);
    }

    private static (string HostName, string KeyName, string Key) Parse(string connectionString, string path)
    {
        var values = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return values.TryGetValue("HostName", out var host) && values.TryGetValue("SharedAccessKeyName", out var keyName) && values.TryGetValue("SharedAccessKey", out var key)
            ? (host.ToLowerInvariant(), keyName, key)
            : throw new OutpostException(ErrorCode.InvalidParameter,
                $"'{path}.connectionString' must have HostName, SharedAccessKeyName and SharedAccessKey, as a hub's listkeys gives them.", path + ".connectionString");
    }
}
