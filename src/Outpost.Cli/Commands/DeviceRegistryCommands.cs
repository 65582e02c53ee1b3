using System.CommandLine;
using Outpost.Cli.Output;

namespace Outpost.Cli.Commands;

/// <summary>
/// <c>outpost adr ns create|show|list|delete</c>, <c>adr ns policy create|show|list|update</c> and
/// <c>adr ns credential sync</c>, as <c>az iot adr</c> names them.
/// </summary>
internal static class DeviceRegistryCommands
{
    private static readonly Column[] NamespaceColumns = [new("Name", "name"), new("Location", "location"), new("State", "properties.provisioningState"), new("PrincipalId", "identity.principalId")];
    private static readonly Column[] PolicyColumns = [new("Name", "name"), new("ValidityDays", "properties.certificate.leafCertificateConfiguration.validityPeriodInDays"),
        new("KeyType", "properties.certificate.certificateAuthorityConfiguration.keyType"), new("State", "properties.provisioningState")];

    public static Command Create() =>
        Verbs.Group("adr", "Azure Device Registry.", Verbs.Group("ns", "Device Registry namespaces.", [.. Namespace(), Policy(), Credential()]));

    private static Command[] Namespace()
    {
        Option<string> group = Options.ResourceGroup(), name = Options.Name("Namespace"), location = Options.Location();
        Option<string> showGroup = Options.ResourceGroup(), showName = Options.Name("Namespace");
        Option<string?> listGroup = Verbs.Optional("--resource-group", "-g", "Only this resource group's namespaces.");
        Option<string> deleteGroup = Options.ResourceGroup(), deleteName = Options.Name("Namespace");
        return
        [
            Verbs.Verb("create", "Create a namespace with a system-assigned identity (its root CA and default policy come with it).", [group, name, location], context =>
                context.Server.ArmAsync(HttpMethod.Put, Paths.Namespace(context, context.Get(group), context.Get(name)), ApiVersions.DeviceRegistry,
                    new { location = context.Get(location), identity = new { type = "SystemAssigned" } }, context.Cancellation), NamespaceColumns),
            Verbs.Verb("show", "Show a namespace.", [showGroup, showName], context =>
                context.Server.ArmAsync(HttpMethod.Get, Paths.Namespace(context, context.Get(showGroup), context.Get(showName)), ApiVersions.DeviceRegistry, null, context.Cancellation),
                NamespaceColumns),
            Verbs.Verb("list", "List namespaces.", [listGroup], context =>
                context.Server.ArmAsync(HttpMethod.Get,
                    $"{(context.Get(listGroup) is { } g ? Paths.Group(context, g) : context.Server.SubscriptionPath)}/providers/Microsoft.DeviceRegistry/namespaces",
                    ApiVersions.DeviceRegistry, null, context.Cancellation), NamespaceColumns),
            Verbs.Verb("delete", "Delete a namespace.", [deleteGroup, deleteName], context =>
                context.Server.ArmAsync(HttpMethod.Delete, Paths.Namespace(context, context.Get(deleteGroup), context.Get(deleteName)), ApiVersions.DeviceRegistry, null,
                    context.Cancellation)),
        ];
    }

    private static Command Policy()
    {
        Option<string> group = Options.ResourceGroup(), ns = Verbs.Required("--ns", "Namespace name."), name = Options.Name("Policy");
        Option<int?> validity = new("--cert-validity-days") { Description = "Days a leaf certificate issued by the policy is valid (1 to 90)." };
        Option<string> showGroup = Options.ResourceGroup(), showNs = Verbs.Required("--ns", "Namespace name."), showName = Options.Name("Policy");
        Option<string> listGroup = Options.ResourceGroup(), listNs = Verbs.Required("--ns", "Namespace name.");
        Option<string> updateGroup = Options.ResourceGroup(), updateNs = Verbs.Required("--ns", "Namespace name."), updateName = Options.Name("Policy");
        Option<int> updateValidity = new("--cert-validity-days") { Description = "Days a leaf certificate issued by the policy is valid (1 to 90).", Required = true };
        string PolicyPath(CliContext context, string g, string n, string p) => $"{Paths.Namespace(context, g, n)}/credentials/default/policies/{p}";
        object Body(int? days) => days is null
            ? new { properties = new { } }
            : new { properties = new { certificate = new { leafCertificateConfiguration = new { validityPeriodInDays = days } } } };
        return Verbs.Group("policy", "Credential policies (issuing CAs) of a namespace.",
            Verbs.Verb("create", "Create a policy: a new issuing CA under the namespace's root.", [group, ns, name, validity], context =>
                context.Server.ArmAsync(HttpMethod.Put, PolicyPath(context, context.Get(group), context.Get(ns), context.Get(name)), ApiVersions.DeviceRegistry,
                    Body(context.Get(validity)), context.Cancellation), PolicyColumns),
            Verbs.Verb("show", "Show a policy.", [showGroup, showNs, showName], context =>
                context.Server.ArmAsync(HttpMethod.Get, PolicyPath(context, context.Get(showGroup), context.Get(showNs), context.Get(showName)), ApiVersions.DeviceRegistry, null,
                    context.Cancellation), PolicyColumns),
            Verbs.Verb("list", "List a namespace's policies.", [listGroup, listNs], context =>
                context.Server.ArmAsync(HttpMethod.Get, $"{Paths.Namespace(context, context.Get(listGroup), context.Get(listNs))}/credentials/default/policies",
                    ApiVersions.DeviceRegistry, null, context.Cancellation), PolicyColumns),
            Verbs.Verb("update", "Change a policy's leaf validity.", [updateGroup, updateNs, updateName, updateValidity], context =>
                context.Server.ArmAsync(HttpMethod.Patch, PolicyPath(context, context.Get(updateGroup), context.Get(updateNs), context.Get(updateName)), ApiVersions.DeviceRegistry,
                    Body(context.Get(updateValidity)), context.Cancellation), PolicyColumns));
    }

    private static Command Credential()
    {
        Option<string> group = Options.ResourceGroup(), ns = Verbs.Required("--ns", "Namespace name.");
        return Verbs.Group("credential", "The namespace's credential (its root CA).",
            Verbs.Verb("sync", "Copy every policy's issuing CA into the hubs linked to the namespace (\"Sync all\").", [group, ns], context =>
                context.Server.ArmAsync(HttpMethod.Post, $"{Paths.Namespace(context, context.Get(group), context.Get(ns))}/credentials/default/synchronize",
                    ApiVersions.DeviceRegistry, new { }, context.Cancellation), new Column("Status", "status")));
    }
}
