using System.CommandLine;

namespace Outpost.Cli.Commands;

/// <summary>The options most verbs share, named as the Azure CLI names them; each command gets its own instances.</summary>
internal static class Options
{
    public static Option<string> ResourceGroup() => Verbs.Required("--resource-group", "-g", "Resource group name.");

    public static Option<string> Name(string what) => Verbs.Required("--name", "-n", $"{what} name.");

    public static Option<string> Location() => new("--location", "-l") { Description = "Location.", DefaultValueFactory = _ => "eastus" };
}

/// <summary>Resource ids under the signed-in subscription.</summary>
internal static class Paths
{
    public static string Group(CliContext context, string group) => $"{context.Server.SubscriptionPath}/resourceGroups/{group}";

    public static string Namespace(CliContext context, string group, string name) => $"{Group(context, group)}/providers/Microsoft.DeviceRegistry/namespaces/{name}";

    public static string Hub(CliContext context, string group, string name) => $"{Group(context, group)}/providers/Microsoft.Devices/IotHubs/{name}";

    public static string Dps(CliContext context, string group, string name) => $"{Group(context, group)}/providers/Microsoft.Devices/provisioningServices/{name}";

    public static string Identity(CliContext context, string group, string name) => $"{Group(context, group)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";
}
