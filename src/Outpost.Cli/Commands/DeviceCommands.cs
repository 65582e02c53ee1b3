using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Outpost.Cli.Output;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary>
/// The hub's data plane as <c>az iot hub</c> offers it: <c>device-identity create|show|list|delete</c>,
/// <c>device-twin show|update</c>, <c>invoke-device-method</c>, <c>c2d-message send</c> and <c>monitor-events</c>.
/// </summary>
internal static class DeviceCommands
{
    private static readonly Column[] DeviceColumns = [new("DeviceId", "deviceId"), new("Status", "status"), new("ConnectionState", "connectionState"),
        new("Authentication", "authentication.type"), new("C2DMessages", "cloudToDeviceMessageCount")];
    private static readonly Column[] TwinColumns = [new("DeviceId", "deviceId"), new("Status", "status"), new("Version", "version"), new("Tags", "tags"),
        new("Desired", "properties.desired"), new("Reported", "properties.reported")];

    public static Command[] Create() => [Identity(), Twin(), Method(), CloudToDevice(), MonitorCommand.Create()];

    /// <summary>The options that name a hub (and optionally its group) and a device.</summary>
    internal sealed record Target(Option<string> Hub, Option<string?> Group, Option<string> Device)
    {
        public static Target Create(bool device = true) => new(Verbs.Required("--hub-name", "-n", "Hub name."),
            Verbs.Optional("--resource-group", "-g", "The hub's resource group (default: found by name)."),
            device ? Verbs.Required("--device-id", "-d", "Device id.") : new Option<string>("--device-id", "-d") { Description = "Device id.", DefaultValueFactory = _ => string.Empty });

        public Option[] All(params Option[] more) => [Hub, Group, Device, .. more];

        public async Task<JsonNode?> CallAsync(CliContext context, HttpMethod method, string path, object? body = null, IDictionary<string, string>? headers = null)
        {
            var (host, key) = await HubAccess.KeyAsync(context, context.Get(Hub), context.Get(Group));
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            return (await context.Server.DataPlaneAsync(method, host, $"{path}{separator}api-version={ApiVersions.HubService}", "iothubowner", key, body, headers,
                context.Cancellation)).Body;
        }

        public string DevicePath(CliContext context) => Uri.EscapeDataString(context.Get(Device));
    }

    private static Command Identity()
    {
        Target create = Target.Create(), show = Target.Create(), list = Target.Create(device: false), delete = Target.Create();
        Option<string> method = new("--auth-method", "--am")
        {
            Description = "shared_private_key (default; keys generated), x509_thumbprint or x509_ca.",
            DefaultValueFactory = _ => "shared_private_key",
        };
        Option<string?> primary = Verbs.Optional("--primary-thumbprint", "--ptp", "With x509_thumbprint: the certificate's SHA-1 or SHA-256 thumbprint.");
        Option<string?> secondary = Verbs.Optional("--secondary-thumbprint", "--stp", "With x509_thumbprint: a second thumbprint.");
        Option<string> status = new("--status") { Description = "enabled or disabled.", DefaultValueFactory = _ => "enabled" };
        return Verbs.Group("device-identity", "Devices of a hub's identity registry.",
            Verbs.Verb("create", "Register a device.", create.All(method, primary, secondary, status), context =>
            {
                object authentication = context.Get(method) switch
                {
                    "shared_private_key" => new { type = "sas" },
                    "x509_thumbprint" => new { type = "selfSigned", x509Thumbprint = new { primaryThumbprint = context.Get(primary), secondaryThumbprint = context.Get(secondary) } },
                    "x509_ca" => new { type = "certificateAuthority" },
                    var other => throw new CliException(CliException.Usage, "InvalidArgument", $"--auth-method '{other}' is not one of shared_private_key, x509_thumbprint, x509_ca."),
                };
                return create.CallAsync(context, HttpMethod.Put, $"/devices/{create.DevicePath(context)}",
                    new { deviceId = context.Get(create.Device), status = context.Get(status), authentication });
            }, DeviceColumns),
            Verbs.Verb("show", "Show a device.", show.All(), context => show.CallAsync(context, HttpMethod.Get, $"/devices/{show.DevicePath(context)}"), DeviceColumns),
            Verbs.Verb("list", "List a hub's devices.", [list.Hub, list.Group], context => list.CallAsync(context, HttpMethod.Get, "/devices"), DeviceColumns),
            Verbs.Verb("delete", "Delete a device.", delete.All(), context =>
                delete.CallAsync(context, HttpMethod.Delete, $"/devices/{delete.DevicePath(context)}", headers: new Dictionary<string, string> { ["If-Match"] = "\"*\"" })));
    }

    private static Command Twin()
    {
        Target show = Target.Create(), update = Target.Create();
        Option<string?> desired = Verbs.Optional("--desired", "Desired properties to merge, as JSON (null deletes).");
        Option<string?> tags = Verbs.Optional("--tags", "Tags to merge, as JSON (null deletes).");
        return Verbs.Group("device-twin", "Device twins.",
            Verbs.Verb("show", "Show a device's twin.", show.All(), context => show.CallAsync(context, HttpMethod.Get, $"/twins/{show.DevicePath(context)}"), TwinColumns),
            Verbs.Verb("update", "Merge tags and desired properties into a device's twin.", update.All(desired, tags), context =>
            {
                var patch = new JsonObject();
                if (context.Get(tags) is { } tagText)
                {
                    patch["tags"] = Verbs.ParseJson(tagText, "--tags");
                }

                if (context.Get(desired) is { } desiredText)
                {
                    patch["properties"] = new JsonObject { ["desired"] = Verbs.ParseJson(desiredText, "--desired") };
                }

                return patch.Count == 0
                    ? throw new CliException(CliException.Usage, "InvalidArgument", "Give --desired, --tags or both.")
                    : update.CallAsync(context, HttpMethod.Patch, $"/twins/{update.DevicePath(context)}", patch.ToJsonString(),
                        new Dictionary<string, string> { ["If-Match"] = "\"*\"" });
            }, TwinColumns));
    }

    private static Command Method()
    {
        Target target = Target.Create();
        Option<string> name = Verbs.Required("--method-name", "--mn", "The method's name.");
        Option<string?> payload = Verbs.Optional("--method-payload", "--mp", "The method's payload, as JSON.");
        Option<int> timeout = new("--timeout", "--to") { Description = "Seconds to wait for the device's answer (5 to 300).", DefaultValueFactory = _ => 30 };
        return Verbs.Verb("invoke-device-method", "Call a direct method on a connected device.", target.All(name, payload, timeout), context =>
            target.CallAsync(context, HttpMethod.Post, $"/twins/{target.DevicePath(context)}/methods", new JsonObject
            {
                ["methodName"] = context.Get(name),
                ["payload"] = context.Get(payload) is { } text ? Verbs.ParseJson(text, "--method-payload") : null,
                ["responseTimeoutInSeconds"] = context.Get(timeout),
            }.ToJsonString()), new Column("Status", "status"), new Column("Payload", "payload"));
    }

    private static Command CloudToDevice()
    {
        Target target = Target.Create();
        Option<string> data = new("--data", "--da") { Description = "The message body.", DefaultValueFactory = _ => "Ping from Outpost CLI" };
        Option<string?> properties = Verbs.Optional("--properties", "--props", "Application properties as a=b;c=d.");
        Option<string?> messageId = Verbs.Optional("--message-id", "--mid", "The message id (default: a new GUID).");
        Option<string?> contentType = Verbs.Optional("--content-type", "--ct", "The body's content type.");
        return Verbs.Group("c2d-message", "Cloud-to-device messages.",
            Verbs.Verb("send", "Queue a cloud-to-device message for a device.", target.All(data, properties, messageId, contentType), async context =>
            {
                var headers = new Dictionary<string, string> { ["iothub-messageid"] = context.Get(messageId) ?? Guid.NewGuid().ToString() };
                foreach (var pair in (context.Get(properties) ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new CliException(CliException.Usage, "InvalidArgument", $"--properties takes a=b;c=d; '{pair}' has no '='.");
                    }

                    headers[$"iothub-app-{pair[..equals]}"] = pair[(equals + 1)..];
                }

                if (context.Get(contentType) is { } type)
                {
                    headers["Content-Type"] = type;
                }

                await target.CallAsync(context, HttpMethod.Post, $"/devices/{target.DevicePath(context)}/messages/deviceBound", Encoding.UTF8.GetBytes(context.Get(data)), headers);
                return new JsonObject { ["deviceId"] = context.Get(target.Device), ["messageId"] = headers["iothub-messageid"] };
            }, new Column("DeviceId", "deviceId"), new Column("MessageId", "messageId")));
    }
}
