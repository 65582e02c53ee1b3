using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary>
/// <c>outpost demo</c>: the walkthrough in one command. It runs the same <c>outpost</c> commands a user would, in the
/// walkthrough's order (resource group, namespace, identity and its roles, a custom policy, a GEN2 hub linked to the
/// namespace, the namespace's roles on the hub, DPS linked to both, "Sync all", an enrollment group issuing from the
/// default policy), then simulates a few devices onboarding with CSRs and sending telemetry, and prints where to look.
/// Run again, it keeps the topology and simulates again.
/// </summary>
internal static class DemoCommand
{
    private const string AzureIotHubPrincipal = "89d10474-74af-4874-99a7-c23c2f643083";

    public static Command Create()
    {
        Option<string> prefix = new("--prefix") { Description = "Names the demo's resources: {prefix}-rg, {prefix}-hub, {prefix}-dps, … (hub and DPS names are unique on a server).", DefaultValueFactory = _ => "demo" };
        Option<int> devices = new("--devices") { Description = "Simulated devices.", DefaultValueFactory = _ => 3 };
        Option<int> messages = new("--messages") { Description = "Telemetry messages per device.", DefaultValueFactory = _ => 5 };
        return Verbs.Verb("demo", "Set up the walkthrough's topology, onboard simulated devices, and show where to look.", [prefix, devices, messages], async context =>
        {
            var names = new Names(context.Get(prefix));
            var g = names.Group;
            var steps = new Steps(context);
            var hub = await steps.TryAsync("iot", "hub", "show", "-g", g, "-n", names.Hub);
            if (hub is null)
            {
                hub = await SetUpAsync(steps, names);
            }
            else
            {
                await steps.SayAsync($"The demo's topology exists in {g}; simulating again.");
            }

            await steps.SayAsync($"Simulating {context.Get(devices)} devices: DPS with CSRs, then {context.Get(messages)} messages each…");
            var simulation = await steps.RunAsync("iot", "device", "simulate", "-g", g, "--dps-name", names.Dps, "--eid", "fleet", "--count",
                context.Get(devices).ToString(CultureInfo.InvariantCulture), "--messages", context.Get(messages).ToString(CultureInfo.InvariantCulture), "--rate", "5",
                "--duration", "120", "--prefix", names.Devices);
            var host = hub["properties"]!["hostName"]!.GetValue<string>();
            var connection = await steps.RunAsync("iot", "hub", "connection-string", "show", "-g", g, "--hub-name", names.Hub);
            return new JsonObject
            {
                ["server"] = context.Server.Profile.Server,
                ["hub"] = host,
                ["hubConnectionString"] = connection?["connectionString"]?.DeepClone(),
                ["simulation"] = simulation?.DeepClone(),
                ["tryNext"] = new JsonArray(
                    $"outpost iot hub device-identity list -n {names.Hub} -o table",
                    $"outpost iot hub monitor-events -n {names.Hub} --from earliest --props all",
                    $"outpost iot device simulate -g {g} --dps-name {names.Dps} --eid fleet --count 5 --duration 0",
                    $"outpost iot hub device-twin update -n {names.Hub} -d {names.Devices}-1 --desired '{{\"interval\":10}}'",
                    $"outpost adr ns policy list -g {g} --ns {names.Namespace} -o table"),
            };
        }, new("Hub", "hub"), new("Server", "server"));
    }

    /// <summary>The demo's resource names, from one prefix.</summary>
    private sealed record Names(string Prefix)
    {
        public string Group => $"{Prefix}-rg";

        public string Namespace => $"{Prefix}-namespace";

        public string Identity => $"{Prefix}-identity";

        public string Hub => $"{Prefix}-hub";

        public string Dps => $"{Prefix}-dps";

        public string Devices => $"{Prefix}-device";
    }

    private static async Task<JsonNode> SetUpAsync(Steps steps, Names names)
    {
        var g = names.Group;
        await steps.SayAsync($"Setting up the walkthrough's topology in resource group {g}…");
        await steps.RunAsync("group", "create", "-n", g);
        var ns = (await steps.RunAsync("adr", "ns", "create", "-g", g, "-n", names.Namespace))!;
        var nsId = ns["id"]!.GetValue<string>();
        var identity = (await steps.RunAsync("identity", "create", "-g", g, "-n", names.Identity))!;
        var identityId = identity["id"]!.GetValue<string>();
        var identityPrincipal = identity["properties"]!["principalId"]!.GetValue<string>();
        await steps.AssignAsync(identityPrincipal, "Azure Device Registry Onboarding", nsId);
        await steps.AssignAsync(identityPrincipal, "Azure Device Registry Contributor", nsId);
        var groupId = (await steps.RunAsync("group", "show", "-n", g))!["id"]!.GetValue<string>();
        await steps.AssignAsync(AzureIotHubPrincipal, "Contributor", groupId);
        await steps.RunAsync("adr", "ns", "policy", "create", "-g", g, "--ns", names.Namespace, "-n", "custom-policy", "--cert-validity-days", "30");
        var hub = (await steps.RunAsync("iot", "hub", "create", "-g", g, "-n", names.Hub, "--sku", "GEN2", "--ns-resource-id", nsId, "--ns-identity-id", identityId))!;
        var nsPrincipal = ns["identity"]!["principalId"]!.GetValue<string>();
        await steps.AssignAsync(nsPrincipal, "Contributor", hub["id"]!.GetValue<string>());
        await steps.AssignAsync(nsPrincipal, "IoT Hub Registry Contributor", hub["id"]!.GetValue<string>());
        await steps.RunAsync("iot", "dps", "create", "-g", g, "-n", names.Dps, "--ns-resource-id", nsId, "--ns-identity-id", identityId);
        await steps.RunAsync("iot", "dps", "linked-hub", "create", "-g", g, "--dps-name", names.Dps, "--hub-name", names.Hub, "--hub-resource-group", g);
        await steps.RunAsync("adr", "ns", "credential", "sync", "-g", g, "--ns", names.Namespace);
        await steps.RunAsync("iot", "dps", "enrollment-group", "create", "-g", g, "--dps-name", names.Dps, "--eid", "fleet", "--credential-policy", "default");
        return hub;
    }

    /// <summary>Runs <c>outpost</c> commands inside this one, narrating each, and stops at the first that fails.</summary>
    private sealed class Steps(CliContext context)
    {
        /// <summary>Narration goes to the error stream, progress-style, so that the output is the final JSON alone.</summary>
        public Task SayAsync(string line) => context.Errors.WriteLineAsync(line);

        public async Task<JsonNode?> RunAsync(params string[] args)
        {
            var (exitCode, output, errors) = await InvokeAsync(args);
            if (exitCode != 0)
            {
                throw new CliException(exitCode, "DemoStepFailed", $"`outpost {string.Join(' ', args)}` failed: {errors.Trim()}");
            }

            await SayAsync($"  ✓ outpost {string.Join(' ', args)}");
            return output.Length == 0 ? null : JsonNode.Parse(output);
        }

        public async Task<JsonNode?> TryAsync(params string[] args)
        {
            var (exitCode, output, _) = await InvokeAsync(args);
            return exitCode == 0 ? JsonNode.Parse(output) : null;
        }

        /// <summary>A role assignment the demo made before counts as made.</summary>
        public async Task AssignAsync(string principal, string role, string scope)
        {
            string[] args = ["role", "assignment", "create", "--assignee", principal, "--role", role, "--scope", scope];
            var (exitCode, _, errors) = await InvokeAsync(args);
            if (exitCode != 0 && !errors.Contains("RoleAssignmentExists", StringComparison.Ordinal))
            {
                throw new CliException(exitCode, "DemoStepFailed", $"`outpost {string.Join(' ', args)}` failed: {errors.Trim()}");
            }

            await SayAsync($"  ✓ outpost role assignment create --assignee {principal} --role \"{role}\" --scope {scope}");
        }

        private async Task<(int ExitCode, string Output, string Errors)> InvokeAsync(string[] args)
        {
            using var output = new StringWriter();
            using var errors = new StringWriter();
            var exitCode = await CliApplication.RunAsync(args, output, errors, context.Environment, context.Cancellation);
            return (exitCode, output.ToString(), errors.ToString());
        }
    }
}
