using System.CommandLine;
using System.Text.Json.Nodes;
using Outpost.Cli.Output;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary><c>outpost iot dps create|show|list|delete</c>, <c>iot dps linked-hub create|list</c>, <c>iot dps enrollment-group create|show|list|delete</c>.</summary>
internal static class DpsCommands
{
    private static readonly Column[] DpsColumns = [new("Name", "name"), new("Location", "location"), new("IdScope", "properties.idScope"),
        new("ServiceHost", "properties.serviceOperationsHostName"), new("State", "properties.state")];
    private static readonly Column[] LinkColumns = [new("Name", "name"), new("Location", "location"), new("AllocationWeight", "allocationWeight")];
    private static readonly Column[] EnrollmentColumns = [new("EnrollmentGroupId", "enrollmentGroupId"), new("Attestation", "attestation.type"),
        new("ProvisioningStatus", "provisioningStatus"), new("CredentialPolicy", "credentialPolicyName")];

    public static Command Create()
    {
        Option<string> group = Options.ResourceGroup(), name = Options.Name("DPS"), location = Options.Location();
        Option<string?> ns = Verbs.Optional("--ns-resource-id", "Device Registry namespace whose policies issue certificates to devices.");
        Option<string?> identity = Verbs.Optional("--ns-identity-id", "User-assigned identity DPS uses with the namespace.");
        Option<string> showGroup = Options.ResourceGroup(), showName = Options.Name("DPS");
        Option<string?> listGroup = Verbs.Optional("--resource-group", "-g", "Only this resource group's instances.");
        Option<string> deleteGroup = Options.ResourceGroup(), deleteName = Options.Name("DPS");
        return Verbs.Group("dps", "Device Provisioning Service instances.",
            Verbs.Verb("create", "Create a DPS instance.", [group, name, location, ns, identity], context =>
            {
                var body = new JsonObject { ["location"] = context.Get(location), ["sku"] = new JsonObject { ["name"] = "S1", ["capacity"] = 1 }, ["properties"] = new JsonObject() };
                if (context.Get(identity) is { } identityId)
                {
                    ManagedIdentityBody.AddUserAssigned(body, identityId);
                }

                if (context.Get(ns) is { } namespaceId)
                {
                    body["properties"]!["deviceRegistryNamespace"] = new JsonObject
                    {
                        ["resourceId"] = namespaceId,
                        ["authenticationType"] = "UserAssigned",
                        ["selectedUserAssignedIdentityResourceId"] = context.Get(identity),
                    };
                }

                return context.Server.ArmAsync(HttpMethod.Put, Paths.Dps(context, context.Get(group), context.Get(name)), ApiVersions.Dps, body.ToJsonString(), context.Cancellation);
            }, DpsColumns),
            Verbs.Verb("show", "Show a DPS instance.", [showGroup, showName], context =>
                context.Server.ArmAsync(HttpMethod.Get, Paths.Dps(context, context.Get(showGroup), context.Get(showName)), ApiVersions.Dps, null, context.Cancellation), DpsColumns),
            Verbs.Verb("list", "List DPS instances.", [listGroup], context =>
                context.Server.ArmAsync(HttpMethod.Get,
                    $"{(context.Get(listGroup) is { } g ? Paths.Group(context, g) : context.Server.SubscriptionPath)}/providers/Microsoft.Devices/provisioningServices",
                    ApiVersions.Dps, null, context.Cancellation), DpsColumns),
            Verbs.Verb("delete", "Delete a DPS instance.", [deleteGroup, deleteName], context =>
                context.Server.ArmAsync(HttpMethod.Delete, Paths.Dps(context, context.Get(deleteGroup), context.Get(deleteName)), ApiVersions.Dps, null, context.Cancellation)),
            LinkedHub(),
            Enrollments());
    }

    private static Command LinkedHub()
    {
        Option<string> group = Options.ResourceGroup(), dps = Verbs.Required("--dps-name", "DPS name."), hub = Verbs.Required("--hub-name", "Hub name.");
        Option<string?> hubGroup = Verbs.Optional("--hub-resource-group", "The hub's resource group (default: found by name).");
        Option<string> listGroup = Options.ResourceGroup(), listDps = Verbs.Required("--dps-name", "DPS name.");
        return Verbs.Group("linked-hub", "Hubs a DPS instance assigns devices to.",
            Verbs.Verb("create", "Link a hub (with its iothubowner connection string).", [group, dps, hub, hubGroup], async context =>
            {
                var path = Paths.Dps(context, context.Get(group), context.Get(dps));
                var current = (await context.Server.ArmAsync(HttpMethod.Get, path, ApiVersions.Dps, null, context.Cancellation))!.AsObject();
                var (host, key) = await HubAccess.KeyAsync(context, context.Get(hub), context.Get(hubGroup));
                var links = current["properties"]?["iotHubs"]?.DeepClone() as JsonArray ?? [];
                var location = current["location"]?.GetValue<string>();
                links.Add(new JsonObject { ["connectionString"] = $"HostName={host};SharedAccessKeyName=iothubowner;SharedAccessKey={key}", ["location"] = location });
                var body = current.DeepClone().AsObject();
                body["properties"]!["iotHubs"] = links;
                var updated = await context.Server.ArmAsync(HttpMethod.Put, path, ApiVersions.Dps, body.ToJsonString(), context.Cancellation);
                return updated?["properties"]?["iotHubs"];
            }, LinkColumns),
            Verbs.Verb("list", "List the linked hubs.", [listGroup, listDps], async context =>
                (await context.Server.ArmAsync(HttpMethod.Get, Paths.Dps(context, context.Get(listGroup), context.Get(listDps)), ApiVersions.Dps, null, context.Cancellation))
                    ?["properties"]?["iotHubs"], LinkColumns));
    }

    private static Command Enrollments()
    {
        (Option<string> Group, Option<string> Dps) Instance() => (Options.ResourceGroup(), Verbs.Required("--dps-name", "DPS name."));
        var create = Instance();
        var show = Instance();
        var list = Instance();
        var delete = Instance();
        Option<string> createId = Verbs.Required("--enrollment-id", "--eid", "Enrollment group id."), showId = Verbs.Required("--enrollment-id", "--eid", "Enrollment group id."),
            deleteId = Verbs.Required("--enrollment-id", "--eid", "Enrollment group id.");
        Option<string?> policy = Verbs.Optional("--credential-policy", "Credential policy of the linked namespace that issues certificates to the group's devices.");
        Option<string?> certificate = Verbs.Optional("--certificate-path", "--cp", "PEM of the group's signing certificate (X.509 attestation; default: symmetric key).");
        Option<string> status = new("--provisioning-status", "--ps") { Description = "enabled or disabled.", DefaultValueFactory = _ => "enabled" };
        return Verbs.Group("enrollment-group", "Enrollment groups.",
            Verbs.Verb("create", "Create an enrollment group.", [create.Group, create.Dps, createId, policy, certificate, status], async context =>
            {
                var id = context.Get(createId);
                JsonObject attestation = context.Get(certificate) is { } pem
                    ? new JsonObject
                    {
                        ["type"] = "x509",
                        ["x509"] = new JsonObject { ["signingCertificates"] = new JsonObject { ["primary"] = new JsonObject { ["certificate"] = await File.ReadAllTextAsync(pem, context.Cancellation) } } },
                    }
                    : new JsonObject { ["type"] = "symmetricKey" };
                var body = new JsonObject { ["enrollmentGroupId"] = id, ["attestation"] = attestation, ["provisioningStatus"] = context.Get(status) };
                if (context.Get(policy) is { } policyName)
                {
                    body["credentialPolicyName"] = policyName;
                }

                return await CallAsync(context, context.Get(create.Group), context.Get(create.Dps), HttpMethod.Put, $"/enrollmentGroups/{Uri.EscapeDataString(id)}", body.ToJsonString());
            }, EnrollmentColumns),
            Verbs.Verb("show", "Show an enrollment group (with its keys).", [show.Group, show.Dps, showId], context =>
                CallAsync(context, context.Get(show.Group), context.Get(show.Dps), HttpMethod.Get, $"/enrollmentGroups/{Uri.EscapeDataString(context.Get(showId))}"), EnrollmentColumns),
            Verbs.Verb("list", "List enrollment groups.", [list.Group, list.Dps], context =>
                CallAsync(context, context.Get(list.Group), context.Get(list.Dps), HttpMethod.Post, "/enrollmentGroups/query", "{\"query\":\"*\"}"), EnrollmentColumns),
            Verbs.Verb("delete", "Delete an enrollment group.", [delete.Group, delete.Dps, deleteId], context =>
                CallAsync(context, context.Get(delete.Group), context.Get(delete.Dps), HttpMethod.Delete, $"/enrollmentGroups/{Uri.EscapeDataString(context.Get(deleteId))}")));
    }

    /// <summary>A call to the instance's service API with its provisioningserviceowner key, read through the management API.</summary>
    internal static async Task<JsonNode?> CallAsync(CliContext context, string group, string dps, HttpMethod method, string path, object? body = null)
    {
        var resourcePath = Paths.Dps(context, group, dps);
        var instance = await context.Server.ArmAsync(HttpMethod.Get, resourcePath, ApiVersions.Dps, null, context.Cancellation)
            ?? throw new CliException(CliException.NotFound, "ResourceNotFound", $"DPS '{dps}' was not found.");
        var keys = await context.Server.ArmAsync(HttpMethod.Post, $"{resourcePath}/keys/provisioningserviceowner/listkeys", ApiVersions.Dps, new { }, context.Cancellation);
        var host = instance["properties"]!["serviceOperationsHostName"]!.GetValue<string>();
        return (await context.Server.DataPlaneAsync(method, host, $"{path}?api-version={ApiVersions.DpsService}", "provisioningserviceowner", keys!["primaryKey"]!.GetValue<string>(),
            body, null, context.Cancellation)).Body;
    }
}
