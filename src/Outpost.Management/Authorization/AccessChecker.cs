using System.Security.Claims;
using Outpost.Core.Authorization;
using Outpost.Core.Errors;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Identity;

namespace Outpost.Management.Authorization;

/// <summary>
/// Azure RBAC: a caller may perform an action on a resource when one of its role assignments sits at the resource's
/// scope or above it and the assigned role allows the action. Every management handler asks here first.
/// </summary>
internal sealed class AccessChecker(IOutpostStore store, ServerIdentity identity) : IDataPlaneAuthorizer
{
    public string TenantId => identity.TenantId;

    /// <summary>Refuses the call unless the token is a management token and its principal may perform <paramref name="action"/> on <paramref name="scope"/>.</summary>
    public Task<ArmCaller> DemandAsync(ClaimsPrincipal user, string scope, string action, CancellationToken cancellationToken) =>
        DemandAsync(user, scope, action, dataAction: false, TokenAudiences.Management, cancellationToken);

    /// <summary>Like <see cref="DemandAsync(ClaimsPrincipal, string, string, CancellationToken)"/>, for a data action such as certificate issuance.</summary>
    public Task<ArmCaller> DemandDataAsync(ClaimsPrincipal user, string scope, string dataAction, CancellationToken cancellationToken) =>
        DemandAsync(user, scope, dataAction, dataAction: true, TokenAudiences.Management, cancellationToken);

    public async Task<bool> AllowsDataActionAsync(string principalId, string scope, string dataAction, CancellationToken cancellationToken = default)
    {
        var assignments = await store.GetRoleAssignmentsForPrincipalAsync(principalId, cancellationToken);
        return assignments.Any(assignment => Covers(assignment.Scope, scope) && BuiltInRoles.Find(assignment.RoleDefinitionId) is { } role && role.AllowsData(dataAction));
    }

    /// <summary>Refuses a token issued for another resource (a hub data-plane token, say) before anything else is looked at.</summary>
    public static ArmCaller RequireManagementToken(ClaimsPrincipal user) => RequireAudience(user, TokenAudiences.Management);

    private static ArmCaller RequireAudience(ClaimsPrincipal user, TokenAudience audience)
    {
        var caller = ArmCaller.From(user);
        if (!audience.Accepts(caller.Audience))
        {
            throw new OutpostException(ErrorCode.InvalidAuthenticationToken,
                $"The access token has audience '{caller.Audience}', which is not valid for this API. Request a token for scope '{audience.Scope}'.");
        }

        return caller;
    }

    private async Task<ArmCaller> DemandAsync(ClaimsPrincipal user, string scope, string action, bool dataAction, TokenAudience audience, CancellationToken cancellationToken)
    {
        var caller = RequireAudience(user, audience);

        var assignments = await store.GetRoleAssignmentsForPrincipalAsync(caller.ObjectId, cancellationToken);
        var allowed = assignments.Any(assignment =>
            Covers(assignment.Scope, scope)
            && BuiltInRoles.Find(assignment.RoleDefinitionId) is { } role
            && (dataAction ? role.AllowsData(action) : role.Allows(action)));
        if (!allowed)
        {
            throw new OutpostException(ErrorCode.AuthorizationFailed,
                $"The client '{caller.ClientId}' with object id '{caller.ObjectId}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.");
        }

        return caller;
    }

    /// <summary>True when an assignment at <paramref name="assignmentScope"/> applies at <paramref name="scope"/>: the same scope or one above it.</summary>
    internal static bool Covers(string assignmentScope, string scope)
    {
        var parent = assignmentScope.TrimEnd('/');
        return string.Equals(parent, scope, StringComparison.OrdinalIgnoreCase)
            || scope.StartsWith(parent + "/", StringComparison.OrdinalIgnoreCase)
            || parent.Length == 0;
    }
}
