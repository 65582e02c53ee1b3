using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;

namespace Outpost.Management.Authorization;

/// <summary>
/// <c>Microsoft.Authorization/roleAssignments</c> at subscription, resource-group and resource scope. An assignment
/// applies at its scope and everything under it; <see cref="AccessChecker"/> reads them on every management call.
/// </summary>
internal static class RoleAssignmentEndpoints
{
    private const string Type = "Microsoft.Authorization/roleAssignments";

    public static void MapRoleAssignments(this IEndpointRouteBuilder management)
    {
        foreach (var prefix in ArmScopeRoutes.Prefixes)
        {
            management.MapPut(prefix + "/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}", PutAsync);
            management.MapGet(prefix + "/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}", GetAsync);
            management.MapDelete(prefix + "/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}", DeleteAsync);
            management.MapGet(prefix + "/providers/Microsoft.Authorization/roleAssignments", ListAsync);
        }
    }

    private static async Task<IResult> PutAsync(string roleAssignmentName, HttpContext context, ArmScopes scopes, AccessChecker access, IOutpostStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var scope = ArmScopeRoutes.ScopeOf(context.Request);
        var caller = await AuthorizeAsync(context, scope, "write", scopes, access, cancellationToken);
        if (!Guid.TryParse(roleAssignmentName, out _))
        {
            throw new OutpostException(ErrorCode.InvalidRoleAssignmentId,
                $"The role assignment ID '{roleAssignmentName}' is not valid. The role assignment ID must be a GUID.", "roleAssignmentName");
        }

        var body = await ArmJson.ReadObjectAsync(context.Request, cancellationToken);
        var properties = ArmJson.OptionalObject(body, "properties", "properties")
            ?? throw new OutpostException(ErrorCode.InvalidRequestContent, "A role assignment needs 'properties' with 'roleDefinitionId' and 'principalId'.", "properties");
        var roleDefinitionId = ArmJson.OptionalString(properties, "roleDefinitionId", "properties.roleDefinitionId");
        var principalId = ArmJson.OptionalString(properties, "principalId", "properties.principalId");
        if (string.IsNullOrWhiteSpace(roleDefinitionId) || string.IsNullOrWhiteSpace(principalId))
        {
            throw new OutpostException(ErrorCode.InvalidRequestContent,
                "A role assignment needs properties.roleDefinitionId (a role's id or GUID) and properties.principalId (an object id).", "properties");
        }

        var role = BuiltInRoles.Find(roleDefinitionId) ?? throw new OutpostException(ErrorCode.RoleDefinitionDoesNotExist,
            $"The specified role definition with ID '{roleDefinitionId}' does not exist.", "properties.roleDefinitionId");
        var principal = await store.GetPrincipalAsync(principalId, cancellationToken) ?? throw new OutpostException(ErrorCode.PrincipalNotFound,
            $"Principal {principalId} does not exist in the directory {access.TenantId}. Use the principalId of a managed identity, a resource's system-assigned identity or a service principal.",
            "properties.principalId");

        var id = $"{scope}/providers/{Type}/{roleAssignmentName}";
        var existing = await store.GetRoleAssignmentAsync(id, cancellationToken);
        var duplicate = (await store.GetRoleAssignmentsUnderAsync(scope, cancellationToken)).FirstOrDefault(assignment =>
            string.Equals(assignment.Scope, scope, StringComparison.OrdinalIgnoreCase)
            && string.Equals(assignment.PrincipalId, principal.ObjectId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(BuiltInRoles.Find(assignment.RoleDefinitionId)?.Id, role.Id, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(assignment.Id, id, StringComparison.OrdinalIgnoreCase));
        if (duplicate is not null)
        {
            throw new OutpostException(ErrorCode.RoleAssignmentExists,
                $"The role assignment already exists: {role.RoleName} is assigned to principal {principal.ObjectId} at scope '{scope}' by '{duplicate.Id}'.");
        }

        if (existing is not null && (!string.Equals(existing.PrincipalId, principal.ObjectId, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(BuiltInRoles.Find(existing.RoleDefinitionId)?.Id, role.Id, StringComparison.OrdinalIgnoreCase)))
        {
            throw new OutpostException(ErrorCode.PropertyChangeNotAllowed,
                "A role assignment's principal and role cannot be changed; delete it and create a new one.", "properties");
        }

        var assignmentRecord = existing ?? new StoredRoleAssignment(id, scope, role.Id, principal.ObjectId, time.GetUtcNow(), caller.ObjectId);
        if (existing is null)
        {
            await store.CommitAsync(new StoreChangeSet().PutRoleAssignment(assignmentRecord), cancellationToken);
        }

        return ArmJson.Ok(await BodyAsync(assignmentRecord, store, cancellationToken), existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetAsync(string roleAssignmentName, HttpContext context, ArmScopes scopes, AccessChecker access, IOutpostStore store,
        CancellationToken cancellationToken)
    {
        var scope = ArmScopeRoutes.ScopeOf(context.Request);
        await AuthorizeAsync(context, scope, "read", scopes, access, cancellationToken);
        var assignment = await store.GetRoleAssignmentAsync($"{scope}/providers/{Type}/{roleAssignmentName}", cancellationToken)
            ?? throw new OutpostException(ErrorCode.ResourceNotFound, $"The role assignment '{roleAssignmentName}' is not found at scope '{scope}'.");
        return ArmJson.Ok(await BodyAsync(assignment, store, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(string roleAssignmentName, HttpContext context, ArmScopes scopes, AccessChecker access, IOutpostStore store,
        CancellationToken cancellationToken)
    {
        var scope = ArmScopeRoutes.ScopeOf(context.Request);
        await AuthorizeAsync(context, scope, "delete", scopes, access, cancellationToken);
        var assignment = await store.GetRoleAssignmentAsync($"{scope}/providers/{Type}/{roleAssignmentName}", cancellationToken);
        if (assignment is null)
        {
            return Results.NoContent();
        }

        var body = await BodyAsync(assignment, store, cancellationToken);
        await store.CommitAsync(new StoreChangeSet().DeleteRoleAssignment(assignment.Id), cancellationToken);
        return ArmJson.Ok(body);
    }

    /// <summary>
    /// Lists the assignments that apply at the scope (those above it, and with <c>$filter=atScope()</c> only those)
    /// together with those below it, as ARM does; <c>$filter=principalId eq '…'</c> narrows to one principal.
    /// </summary>
    private static async Task<IResult> ListAsync(HttpContext context, ArmScopes scopes, AccessChecker access, IOutpostStore store, CancellationToken cancellationToken)
    {
        var scope = ArmScopeRoutes.ScopeOf(context.Request);
        await AuthorizeAsync(context, scope, "read", scopes, access, cancellationToken);
        var filter = context.Request.Query["$filter"].ToString();
        IEnumerable<StoredRoleAssignment> assignments = await store.GetRoleAssignmentsAboveAsync(scope, cancellationToken);
        if (!filter.Contains("atScope()", StringComparison.OrdinalIgnoreCase))
        {
            assignments = assignments.Concat(await store.GetRoleAssignmentsUnderAsync(scope, cancellationToken));
        }

        const string ByPrincipal = "principalId eq '";
        var principalAt = filter.IndexOf(ByPrincipal, StringComparison.OrdinalIgnoreCase);
        if (principalAt >= 0)
        {
            var rest = filter[(principalAt + ByPrincipal.Length)..];
            var principalId = rest[..Math.Max(0, rest.IndexOf('\''))];
            assignments = assignments.Where(assignment => string.Equals(assignment.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase));
        }

        var bodies = new JsonArray();
        foreach (var assignment in assignments.DistinctBy(assignment => assignment.Id.ToLowerInvariant()))
        {
            bodies.Add(await BodyAsync(assignment, store, cancellationToken));
        }

        return ArmJson.Ok(new JsonObject { ["value"] = bodies });
    }

    private static async Task<ArmCaller> AuthorizeAsync(HttpContext context, string scope, string verb, ArmScopes scopes, AccessChecker access, CancellationToken cancellationToken)
    {
        ApiVersions.Require(context, RoleDefinitionEndpoints.ApiVersionsServed, Type);
        var caller = await access.DemandAsync(context.User, scope, $"{Type}/{verb}", cancellationToken);
        await scopes.RequireScopeAsync(scope, cancellationToken);
        return caller;
    }

    private static async Task<JsonObject> BodyAsync(StoredRoleAssignment assignment, IOutpostStore store, CancellationToken cancellationToken)
    {
        var subscriptionId = assignment.Scope.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } segments ? segments[1] : string.Empty;
        var role = BuiltInRoles.Find(assignment.RoleDefinitionId);
        var principal = await store.GetPrincipalAsync(assignment.PrincipalId, cancellationToken);
        var name = assignment.Id[(assignment.Id.LastIndexOf('/') + 1)..];
        var created = assignment.CreatedOn is { } on ? ArmJson.Timestamp(on) : null;
        return new JsonObject
        {
            ["id"] = assignment.Id,
            ["name"] = name,
            ["type"] = Type,
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = role is null ? assignment.RoleDefinitionId : RoleDefinitionEndpoints.Id(subscriptionId, role),
                ["principalId"] = assignment.PrincipalId,
                // Azure reports managed identities and applications alike as service principals.
                ["principalType"] = principal is null ? "Unknown" : "ServicePrincipal",
                ["scope"] = assignment.Scope,
                ["condition"] = null,
                ["conditionVersion"] = null,
                ["createdOn"] = created,
                ["updatedOn"] = created,
                ["createdBy"] = assignment.CreatedBy,
                ["updatedBy"] = assignment.CreatedBy,
                ["delegatedManagedIdentityResourceId"] = null,
                ["description"] = null,
            },
        };
    }
}
