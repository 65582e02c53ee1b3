using System.CommandLine;
using System.Text.Json.Nodes;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary>
/// <c>outpost login</c>: signs in with the server's bootstrap admin (<c>--data-dir</c>, reading <c>admin.json</c> and
/// <c>tls/ca.pem</c>) or a service principal's client id and secret, checks the credentials with the server, and
/// remembers them for the other commands.
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The server's HTTPS address.", DefaultValueFactory = _ => "https://localhost" };
        var dataDirectory = Verbs.Optional("--data-dir", "The server's data directory: sign in as its bootstrap admin (admin.json) and trust its tls/ca.pem.");
        var tenant = Verbs.Optional("--tenant", "-t", "Tenant id, with --client-id and --client-secret.");
        var clientId = Verbs.Optional("--client-id", "-u", "Service principal client id.");
        var clientSecret = Verbs.Optional("--client-secret", "-p", "Service principal secret.");
        var subscription = Verbs.Optional("--subscription", "Subscription id (default: the first the principal can see).");
        var caFile = Verbs.Optional("--ca-file", "PEM file of the CA to trust for the server's TLS certificates (default: the system's, or the data directory's).");
        var routeHosts = new Option<bool>("--route-hosts") { Description = "Reach every host name (hubs, DPS instances) at the --server address, when those names do not resolve." };
        return Verbs.Verb("login", "Sign in to an Outpost server.", [server, dataDirectory, tenant, clientId, clientSecret, subscription, caFile, routeHosts], async context =>
        {
            var directory = context.Get(dataDirectory);
            JsonNode? admin = null;
            if (directory is not null)
            {
                var adminPath = Path.Combine(directory, "admin.json");
                admin = File.Exists(adminPath)
                    ? JsonNode.Parse(await File.ReadAllTextAsync(adminPath, context.Cancellation))
                    : throw new CliException(CliException.Usage, "InvalidArgument", $"{adminPath} does not exist; --data-dir must be the server's data directory.");
            }

            var profile = new CliProfile(
                context.Get(server),
                context.Get(tenant) ?? admin?["tenantId"]?.GetValue<string>() ?? throw Missing("--tenant"),
                context.Get(clientId) ?? admin?["clientId"]?.GetValue<string>() ?? throw Missing("--client-id"),
                context.Get(clientSecret) ?? admin?["clientSecret"]?.GetValue<string>() ?? throw Missing("--client-secret"),
                context.Get(subscription) ?? admin?["subscriptionId"]?.GetValue<string>() ?? string.Empty,
                context.Get(caFile) is { } ca ? Path.GetFullPath(ca) : directory is null ? null : Path.GetFullPath(Path.Combine(directory, "tls", "ca.pem")),
                context.Get(routeHosts));
            using var connection = new ServerConnection(profile);
            var subscriptions = await connection.ArmAsync(HttpMethod.Get, "/subscriptions", ApiVersions.Subscriptions, null, context.Cancellation);
            if (profile.SubscriptionId.Length == 0)
            {
                profile = profile with
                {
                    SubscriptionId = subscriptions?["value"]?.AsArray().FirstOrDefault()?["subscriptionId"]?.GetValue<string>()
                        ?? throw new CliException(CliException.Unauthorized, "NoSubscription", "The principal can see no subscription; pass --subscription."),
                };
            }

            profile.Save(context.Environment);
            return new JsonObject { ["server"] = profile.Server, ["tenantId"] = profile.TenantId, ["clientId"] = profile.ClientId, ["subscriptionId"] = profile.SubscriptionId };
        }, new("Server", "server"), new("Tenant", "tenantId"), new("Client", "clientId"), new("Subscription", "subscriptionId"));
    }

    private static CliException Missing(string option) =>
        new(CliException.Usage, "InvalidArgument", $"{option} is required unless --data-dir names the server's data directory.");
}
