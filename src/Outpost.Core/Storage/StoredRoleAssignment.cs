namespace Outpost.Core.Storage;

/// <summary>
/// Grants <paramref name="RoleDefinitionId"/> (a role GUID) to a principal at a scope and everything under it.
/// <paramref name="CreatedOn"/> and <paramref name="CreatedBy"/> are null for assignments made by the bootstrap.
/// </summary>
public sealed record StoredRoleAssignment(
    string Id,
    string Scope,
    string RoleDefinitionId,
    string PrincipalId,
    DateTimeOffset? CreatedOn = null,
    string? CreatedBy = null);
