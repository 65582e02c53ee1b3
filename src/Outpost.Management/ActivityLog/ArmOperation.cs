namespace Outpost.Management.ActivityLog;

/// <summary>
/// What a management write did, read from its method and path the way ARM names operations:
/// <c>PUT …/providers/Microsoft.Devices/IotHubs/hub</c> is <c>Microsoft.Devices/IotHubs/write</c> on that hub,
/// <c>POST …/IotHubs/hub/listkeys</c> is <c>Microsoft.Devices/IotHubs/listkeys/action</c>, a resource group is
/// <c>Microsoft.Resources/subscriptions/resourceGroups</c>. An extension resource (a role assignment on a hub) takes the
/// type after its last <c>providers</c>.
/// </summary>
internal sealed record ArmOperation(string Name, string ResourceId, string ResourceType, string ResourceProvider, string SubscriptionId, string? ResourceGroup)
{
    /// <summary>Null for anything that is not a write under <c>/subscriptions/{id}</c>: reads are not logged, as in Azure.</summary>
    public static ArmOperation? From(string method, string path)
    {
        var verb = method.ToUpperInvariant() switch
        {
            "PUT" or "PATCH" => "write",
            "DELETE" => "delete",
            "POST" => "action",
            _ => null,
        };
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (verb is null || segments.Length < 2 || !segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // A POST names an action on the resource before it: …/IotHubs/hub/listkeys.
        var resource = verb == "action" ? segments[..^1] : segments;
        if (resource.Length < 2)
        {
            return null;
        }

        string? group = null;
        var provider = "Microsoft.Resources";
        var type = "Microsoft.Resources/subscriptions";
        for (var i = 2; i < resource.Length; i += 2)
        {
            if (resource[i].Equals("providers", StringComparison.OrdinalIgnoreCase) && i + 1 < resource.Length)
            {
                provider = resource[i + 1];
                type = provider;
                continue;
            }

            if (i == 2 && resource[i].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase) && i + 1 < resource.Length)
            {
                // The Azure SDKs and az spell it "resourcegroups" in paths; ARM names the operation with its canonical casing.
                group = resource[i + 1];
                type += "/resourceGroups";
                continue;
            }

            type += "/" + resource[i];
        }

        var name = verb == "action" ? $"{type}/{segments[^1]}/action" : $"{type}/{verb}";
        return new ArmOperation(name, "/" + string.Join('/', resource), type, provider, segments[1], group);
    }
}
