using System.CommandLine;
using Outpost.Cli.Output;

namespace Outpost.Cli.Commands;

/// <summary><c>outpost group create|show|list|delete</c> and <c>outpost identity create|show|list|delete</c>.</summary>
internal static class GroupCommands
{
    private static readonly Column[] GroupColumns = [new("Name", "name"), new("Location", "location"), new("Status", "properties.provisioningState")];
    private static readonly Column[] IdentityColumns = [new("Name", "name"), new("ResourceGroup", "id"), new("PrincipalId", "properties.principalId"), new("ClientId", "properties.clientId")];

    public static Command Group()
    {
        Option<string> name = Options.Name("Resource group"), location = Options.Location();
        Option<string> showName = Options.Name("Resource group"), deleteName = Options.Name("Resource group");
        return Verbs.Group("group", "Resource groups.",
            Verbs.Verb("create", "Create a resource group.", [name, location], context =>
                context.Server.ArmAsync(HttpMethod.Put, Paths.Group(context, context.Get(name)), ApiVersions.Resources, new { location = context.Get(location) }, context.Cancellation), GroupColumns),
            Verbs.Verb("show", "Show a resource group.", [showName], context =>
                context.Server.ArmAsync(HttpMethod.Get, Paths.Group(context, context.Get(showName)), ApiVersions.Resources, null, context.Cancellation), GroupColumns),
            Verbs.Verb("list", "List resource groups.", [], context =>
                context.Server.ArmAsync(HttpMethod.Get, $"{context.Server.SubscriptionPath}/resourcegroups", ApiVersions.Resources, null, context.Cancellation), GroupColumns),
            Verbs.Verb("delete", "Delete a resource group and everything in it.", [deleteName], context =>
                context.Server.ArmAsync(HttpMethod.Delete, Paths.Group(context, context.Get(deleteName)), ApiVersions.Resources, null, context.Cancellation)));
    }

    public static Command Identity()
    {
        Option<string> group = Options.ResourceGroup(), name = Options.Name("Identity"), location = Options.Location();
        Option<string> showGroup = Options.ResourceGroup(), showName = Options.Name("Identity");
        Option<string> listGroup = Options.ResourceGroup();
        Option<string> deleteGroup = Options.ResourceGroup(), deleteName = Options.Name("Identity");
        return Verbs.Group("identity", "User-assigned managed identities.",
            Verbs.Verb("create", "Create a user-assigned identity.", [group, name, location], context =>
                context.Server.ArmAsync(HttpMethod.Put, Paths.Identity(context, context.Get(group), context.Get(name)), ApiVersions.Identities,
                    new { location = context.Get(location) }, context.Cancellation), IdentityColumns),
            Verbs.Verb("show", "Show a user-assigned identity.", [showGroup, showName], context =>
                context.Server.ArmAsync(HttpMethod.Get, Paths.Identity(context, context.Get(showGroup), context.Get(showName)), ApiVersions.Identities, null, context.Cancellation),
                IdentityColumns),
            Verbs.Verb("list", "List the user-assigned identities of a resource group.", [listGroup], context =>
                context.Server.ArmAsync(HttpMethod.Get, $"{Paths.Group(context, context.Get(listGroup))}/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
                    ApiVersions.Identities, null, context.Cancellation), IdentityColumns),
            Verbs.Verb("delete", "Delete a user-assigned identity.", [deleteGroup, deleteName], context =>
                context.Server.ArmAsync(HttpMethod.Delete, Paths.Identity(context, context.Get(deleteGroup), context.Get(deleteName)), ApiVersions.Identities, null, context.Cancellation)));
    }
}
