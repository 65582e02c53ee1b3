using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Management.Authorization;

/// <summary>
/// The wiring the walkthrough sets up before linking resources: a named principal must hold a named role at a scope.
/// A missing role fails the operation with the role, the principal and the scope in the message, and the assignment
/// that would fix it.
/// </summary>
internal sealed class RoleRequirements(IOutpostStore store)
{
    public async Task RequireAsync(string principalId, string principalDescription, RoleDefinition role, string scope, string purpose, string? target,
        CancellationToken cancellationToken)
    {
        var assignments = await store.GetRoleAssignmentsForPrincipalAsync(principalId, cancellationToken);
        var held = assignments.Any(assignment =>
            AccessChecker.Covers(assignment.Scope, scope)
            && BuiltInRoles.Find(assignment.RoleDefinitionId) is { } assigned
            && (assigned == role || (role == BuiltInRoles.Contributor && assigned == BuiltInRoles.Owner)));
        if (!held)
        {
            throw new OutpostException(ErrorCode.LinkedAuthorizationFailed,
                $"{purpose} needs {principalDescription} (principal {principalId}) to hold the '{role.RoleName}' role ({role.Id}) at scope '{scope}' or above, and it does not. "
                + $"Assign it: PUT {scope}/providers/Microsoft.Authorization/roleAssignments/<new GUID> with {{\"properties\":{{\"roleDefinitionId\":\"{role.Id}\",\"principalId\":\"{principalId}\"}}}}.",
                target);
        }
    }
}
