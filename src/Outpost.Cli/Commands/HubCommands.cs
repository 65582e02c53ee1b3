using System.CommandLine;
using System.Text.Json.Nodes;
using Outpost.Cli.Output;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary><c>outpost iot hub create|show|list|delete</c>, <c>iot hub identity assign</c>, <c>iot hub policy list</c>, <c>iot hub connection-string show</c>.</summary>
internal static class HubCommands
{
    private static readonly Column[] HubColumns = [new("Name", "name"), new("Location", "location"), new("Sku", "sku.name"), new("HostName", "properties.hostName"), new("State", "properties.state")];
    private static readonly Column[] PolicyColumns = [new("KeyName", "keyName"), new("Rights", "rights"), new("PrimaryKey", "primaryKey")];

    public static Command[] Create()
    {
        Option<string> group = Options.ResourceGroup(), name = Options.Name("Hub"), location = Options.Location();
        Option<string> sku = new("--sku") { Description = "Pricing tier: F1, B1–B3, S1–S3, or GEN2 (the preview tier that links a Device Registry namespace).", DefaultValueFactory = _ => "S1" };
        Option<int> units = new("--unit") { Description = "Units of the tier.", DefaultValueFactory = _ => 1 };
        Option<int?> partitions = new("--partition-count") { Description = "Device-to-cloud partitions (2 to 32)." };
        Option<string?> minTls = Verbs.Optional("--min-tls-version", "Minimum TLS version for devices (1.2).");
        Option<string?> ns = Verbs.Optional("--ns-resource-id", "Device Registry namespace to link (GEN2 hubs).");
        Option<string?> identity = Verbs.Optional("--ns-identity-id", "User-assigned identity the hub uses with the namespace; it is also assigned to the hub.");
        Option<string> showGroup = Options.ResourceGroup(), showName = Options.Name("Hub");
        Option<string?> listGroup = Verbs.Optional("--resource-group", "-g", "Only this resource group's hubs.");
        Option<string> deleteGroup = Options.ResourceGroup(), deleteName = Options.Name("Hub");
        Option<string> assignGroup = Options.ResourceGroup(), assignName = Options.Name("Hub"), user = Verbs.Required("--user", "The user-assigned identity's resource id.");
        Option<string> policyGroup = Options.ResourceGroup(), policyHub = Verbs.Required("--hub-name", "Hub name.");
        Option<string> csGroup = Options.ResourceGroup(), csHub = Verbs.Required("--hub-name", "Hub name.");
        Option<string> csPolicy = new("--policy-name") { Description = "Shared access policy.", DefaultValueFactory = _ => "iothubowner" };

        var hub = Verbs.Group("hub", "IoT hubs.",
            Verbs.Verb("create", "Create a hub.", [group, name, location, sku, units, partitions, minTls, ns, identity], context =>
            {
                var properties = new JsonObject();
                if (context.Get(partitions) is { } count)
                {
                    properties["eventHubEndpoints"] = new JsonObject { ["events"] = new JsonObject { ["partitionCount"] = count, ["retentionTimeInDays"] = 1 } };
                }

                if (context.Get(minTls) is { } tls)
                {
                    properties["minTlsVersion"] = tls;
                }

                var body = new JsonObject
                {
                    ["location"] = context.Get(location),
                    ["sku"] = new JsonObject { ["name"] = context.Get(sku), ["capacity"] = context.Get(units) },
                    ["properties"] = properties,
                };
                if (context.Get(ns) is { } namespaceId)
                {
                    properties["deviceRegistry"] = new JsonObject { ["namespaceResourceId"] = namespaceId, ["identityResourceId"] = context.Get(identity) };
                }

                if (context.Get(identity) is { } identityId)
                {
                    ManagedIdentityBody.AddUserAssigned(body, identityId);
                }

                return context.Server.ArmAsync(HttpMethod.Put, Paths.Hub(context, context.Get(group), context.Get(name)), ApiVersions.IotHub, body.ToJsonString(), context.Cancellation);
            }, HubColumns),
            Verbs.Verb("show", "Show a hub.", [showGroup, showName], context =>
                context.Server.ArmAsync(HttpMethod.Get, Paths.Hub(context, context.Get(showGroup), context.Get(showName)), ApiVersions.IotHub, null, context.Cancellation), HubColumns),
            Verbs.Verb("list", "List hubs.", [listGroup], context =>
                context.Server.ArmAsync(HttpMethod.Get,
                    $"{(context.Get(listGroup) is { } g ? Paths.Group(context, g) : context.Server.SubscriptionPath)}/providers/Microsoft.Devices/IotHubs",
                    ApiVersions.IotHub, null, context.Cancellation), HubColumns),
            Verbs.Verb("delete", "Delete a hub.", [deleteGroup, deleteName], context =>
                context.Server.ArmAsync(HttpMethod.Delete, Paths.Hub(context, context.Get(deleteGroup), context.Get(deleteName)), ApiVersions.IotHub, null, context.Cancellation)),
            Verbs.Group("identity", "The hub's managed identities.",
                Verbs.Verb("assign", "Associate a user-assigned identity with the hub.", [assignGroup, assignName, user], async context =>
                {
                    var path = Paths.Hub(context, context.Get(assignGroup), context.Get(assignName));
                    var current = await context.Server.ArmAsync(HttpMethod.Get, path, ApiVersions.IotHub, null, context.Cancellation)
                        ?? throw new CliException(CliException.NotFound, "ResourceNotFound", $"Hub '{context.Get(assignName)}' was not found.");
                    var body = ManagedIdentityBody.AddUserAssigned(current.DeepClone().AsObject(), context.Get(user));
                    return (await context.Server.ArmAsync(HttpMethod.Put, path, ApiVersions.IotHub, body.ToJsonString(), context.Cancellation))?["identity"];
                }, new Column("Type", "type"))),
            Verbs.Group("policy", "The hub's shared access policies.",
                Verbs.Verb("list", "List the shared access policies with their keys.", [policyGroup, policyHub], context =>
                    context.Server.ArmAsync(HttpMethod.Post, $"{Paths.Hub(context, context.Get(policyGroup), context.Get(policyHub))}/listkeys", ApiVersions.IotHub, new { },
                        context.Cancellation), PolicyColumns)),
            Verbs.Group("connection-string", "Connection strings.",
                Verbs.Verb("show", "Show a service connection string of the hub.", [csGroup, csHub, csPolicy], async context =>
                {
                    var (host, key) = await HubAccess.KeyAsync(context, context.Get(csHub), context.Get(csGroup), context.Get(csPolicy));
                    return new JsonObject { ["connectionString"] = $"HostName={host};SharedAccessKeyName={context.Get(csPolicy)};SharedAccessKey={key}" };
                }, new Column("ConnectionString", "connectionString"))));
        foreach (var command in DeviceCommands.Create())
        {
            hub.Subcommands.Add(command);
        }

        return [hub, DpsCommands.Create(), Verbs.Group("device", "Simulated devices.", Simulation.SimulateCommand.Create())];
    }
}

/// <summary>How data-plane commands reach a hub: its host name and a policy key, read through the management API.</summary>
internal static class HubAccess
{
    public static async Task<(string HostName, string Key)> KeyAsync(CliContext context, string hubName, string? group, string policy = "iothubowner")
    {
        var path = group is not null ? Paths.Hub(context, group, hubName) : await FindAsync(context, hubName);
        var hub = await context.Server.ArmAsync(HttpMethod.Get, path, ApiVersions.IotHub, null, context.Cancellation);
        var keys = await context.Server.ArmAsync(HttpMethod.Post, $"{path}/IotHubKeys/{policy}/listkeys", ApiVersions.IotHub, new { }, context.Cancellation);
        return (hub!["properties"]!["hostName"]!.GetValue<string>(), keys!["primaryKey"]!.GetValue<string>());
    }

    private static async Task<string> FindAsync(CliContext context, string hubName)
    {
        var hubs = await context.Server.ArmAsync(HttpMethod.Get, $"{context.Server.SubscriptionPath}/providers/Microsoft.Devices/IotHubs", ApiVersions.IotHub, null, context.Cancellation);
        return hubs?["value"]?.AsArray().FirstOrDefault(hub => string.Equals(hub?["name"]?.GetValue<string>(), hubName, StringComparison.OrdinalIgnoreCase))?["id"]?.GetValue<string>()
            ?? throw new CliException(CliException.NotFound, "IotHubNotFound", $"No hub named '{hubName}' in subscription {context.Server.Profile.SubscriptionId}.");
    }
}
