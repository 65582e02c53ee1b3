using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Management.Arm;

namespace Outpost.Management.Authorization;

/// <summary>
/// <c>Microsoft.Authorization/roleDefinitions</c>: the built-in roles, readable at any scope, filterable by name as the
/// portal and CLI do (<c>$filter=roleName eq 'Contributor'</c>).
/// </summary>
internal static class RoleDefinitionEndpoints
{
    public static readonly IReadOnlyList<string> ApiVersionsServed = ["2015-07-01", "2018-01-01-preview", "2022-04-01", "2022-05-01-preview"];

    public static void MapRoleDefinitions(this IEndpointRouteBuilder management)
    {
        foreach (var prefix in ArmScopeRoutes.Prefixes)
        {
            management.MapGet(prefix + "/providers/Microsoft.Authorization/roleDefinitions", ListAsync);
            management.MapGet(prefix + "/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}", GetAsync);
        }
    }

    public static string Id(string subscriptionId, RoleDefinition role) =>
        $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{role.Id}";

    public static JsonObject Body(string subscriptionId, RoleDefinition role) => new()
    {
        ["id"] = Id(subscriptionId, role),
        ["name"] = role.Id,
        ["type"] = "Microsoft.Authorization/roleDefinitions",
        ["properties"] = new JsonObject
        {
            ["roleName"] = role.RoleName,
            ["type"] = "BuiltInRole",
            ["description"] = role.Description,
            ["assignableScopes"] = new JsonArray("/"),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = Strings(role.Actions),
                ["notActions"] = Strings(role.NotActions),
                ["dataActions"] = Strings(role.DataActions),
                ["notDataActions"] = Strings(role.NotDataActions),
            }),
        },
    };

    private static async Task<IResult> ListAsync(string subscriptionId, HttpContext context, ArmScopes scopes, AccessChecker access, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, scopes, access, cancellationToken);
        var filter = context.Request.Query["$filter"].ToString();
        IEnumerable<RoleDefinition> roles = BuiltInRoles.All;
        const string ByName = "roleName eq '";
        var nameAt = filter.IndexOf(ByName, StringComparison.OrdinalIgnoreCase);
        if (nameAt >= 0)
        {
            var rest = filter[(nameAt + ByName.Length)..];
            var name = rest[..Math.Max(0, rest.IndexOf('\''))];
            roles = roles.Where(role => string.Equals(role.RoleName, name, StringComparison.OrdinalIgnoreCase));
        }
        else if (filter.Contains("CustomRole", StringComparison.OrdinalIgnoreCase))
        {
            roles = [];
        }

        return ArmJson.Ok(new JsonObject { ["value"] = new JsonArray([.. roles.Select(role => (JsonNode)Body(subscriptionId, role))]) });
    }

    private static async Task<IResult> GetAsync(string subscriptionId, string roleDefinitionId, HttpContext context, ArmScopes scopes, AccessChecker access,
        CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, scopes, access, cancellationToken);
        var role = BuiltInRoles.Find(roleDefinitionId) ?? throw new OutpostException(ErrorCode.RoleDefinitionDoesNotExist,
            $"The specified role definition with ID '{roleDefinitionId}' does not exist. The built-in roles are: {string.Join(", ", BuiltInRoles.All.Select(known => $"{known.RoleName} ({known.Id})"))}.");
        return ArmJson.Ok(Body(subscriptionId, role));
    }

    private static async Task AuthorizeAsync(HttpContext context, ArmScopes scopes, AccessChecker access, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, ApiVersionsServed, "Microsoft.Authorization/roleDefinitions");
        var scope = ArmScopeRoutes.ScopeOf(context.Request);
        await access.DemandAsync(context.User, scope, "Microsoft.Authorization/roleDefinitions/read", cancellationToken);
        await scopes.RequireScopeAsync(scope, cancellationToken);
    }

    private static JsonArray Strings(IReadOnlyList<string> values) => new([.. values.Select(value => (JsonNode)value)]);
}
