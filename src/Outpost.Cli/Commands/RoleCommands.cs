using System.CommandLine;
using System.Text.Json.Nodes;
using Outpost.Cli.Output;
using Outpost.Cli.Session;

namespace Outpost.Cli.Commands;

/// <summary><c>outpost role assignment create|list|delete</c>: roles by name or id, principals by object id, at any scope.</summary>
internal static class RoleCommands
{
    private static readonly Column[] Columns =
        [new("Principal", "properties.principalId"), new("Role", "properties.roleDefinitionName"), new("Scope", "properties.scope"), new("Name", "name")];

    public static Command Create()
    {
        Option<string> assignee = Verbs.Required("--assignee", "The principal's object id (a managed identity's principalId, a service principal's id).");
        Option<string> role = Verbs.Required("--role", "The role's name (\"IoT Hub Data Contributor\") or id.");
        Option<string> scope = Verbs.Required("--scope", "The resource id the role applies to.");
        Option<string?> listScope = Verbs.Optional("--scope", "Only assignments at or under this scope (default: the subscription).");
        Option<string?> listAssignee = Verbs.Optional("--assignee", "Only this principal's assignments.");
        Option<string> ids = Verbs.Required("--ids", "The assignment's resource id.");

        var assignment = Verbs.Group("assignment", "Role assignments.",
            Verbs.Verb("create", "Assign a role to a principal at a scope.", [assignee, role, scope], async context =>
            {
                var roleId = await RoleIdAsync(context, context.Get(scope), context.Get(role));
                var created = await context.Server.ArmAsync(HttpMethod.Put,
                    $"{context.Get(scope)}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", ApiVersions.Authorization,
                    new { properties = new { roleDefinitionId = roleId, principalId = context.Get(assignee) } }, context.Cancellation);
                return WithRoleName(created, context.Get(role));
            }, Columns),
            Verbs.Verb("list", "List role assignments.", [listScope, listAssignee], async context =>
            {
                var listed = await context.Server.ArmAsync(HttpMethod.Get, $"{context.Get(listScope) ?? context.Server.SubscriptionPath}/providers/Microsoft.Authorization/roleAssignments",
                    ApiVersions.Authorization, null, context.Cancellation);
                var items = listed?["value"]?.AsArray() ?? [];
                var filter = context.Get(listAssignee);
                return new JsonArray([.. items.Where(item => filter is null || item?["properties"]?["principalId"]?.GetValue<string>() == filter).Select(item => item!.DeepClone())]);
            }, Columns),
            Verbs.Verb("delete", "Delete a role assignment by its id.", [ids], context =>
                context.Server.ArmAsync(HttpMethod.Delete, context.Get(ids), ApiVersions.Authorization, null, context.Cancellation)));
        return Verbs.Group("role", "Azure RBAC.", assignment);
    }

    /// <summary>A role definition id from a name or id, looked up among the roles visible at the scope.</summary>
    private static async Task<string> RoleIdAsync(CliContext context, string scope, string role)
    {
        var definitions = await context.Server.ArmAsync(HttpMethod.Get, $"{scope}/providers/Microsoft.Authorization/roleDefinitions", ApiVersions.Authorization, null, context.Cancellation);
        var match = definitions?["value"]?.AsArray().FirstOrDefault(definition =>
            string.Equals(definition?["properties"]?["roleName"]?.GetValue<string>(), role, StringComparison.OrdinalIgnoreCase)
            || string.Equals(definition?["name"]?.GetValue<string>(), role, StringComparison.OrdinalIgnoreCase));
        return match?["id"]?.GetValue<string>()
            ?? throw new CliException(CliException.NotFound, "RoleDefinitionDoesNotExist", $"No role named or with the id '{role}' exists at '{scope}'. `outpost role assignment create --help` lists how to name one.");
    }

    private static JsonNode? WithRoleName(JsonNode? assignment, string role)
    {
        if (assignment?["properties"] is JsonObject properties)
        {
            properties["roleDefinitionName"] ??= role;
        }

        return assignment;
    }
}
