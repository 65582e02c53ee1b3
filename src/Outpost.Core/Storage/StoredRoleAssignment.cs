namespace Outpost.Core.Storage;

/// <summary>Grants <paramref name="RoleDefinitionId"/> (a role GUID) to a principal at a scope and everything under it.</summary>
public sealed record StoredRoleAssignment(string Id, string Scope, string RoleDefinitionId, string PrincipalId);
