namespace Outpost.Core.Storage;

/// <summary>
/// The storage seam. The embedded SQLite store fills it by default; a PostgreSQL store can fill it for several
/// nodes without feature code changing. Every write goes through <see cref="CommitAsync"/>, which is atomic and
/// durable once it returns: the API acknowledges nothing before that.
/// </summary>
public interface IOutpostStore
{
    /// <summary>Applies every change or none. Throws a conflict <see cref="Errors.OutpostException"/> when a version check fails.</summary>
    Task CommitAsync(StoreChangeSet changes, CancellationToken cancellationToken = default);

    Task<StoredResource?> GetResourceAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredResource>> GetResourcesAsync(ResourceQuery query, CancellationToken cancellationToken = default);

    /// <summary>True when any resource has an id under <paramref name="id"/> (its children), used to refuse deletes of non-empty parents.</summary>
    Task<bool> HasChildResourcesAsync(string id, CancellationToken cancellationToken = default);

    Task<StoredSigningKey?> GetSigningKeyAsync(string ownerId, CancellationToken cancellationToken = default);

    Task<StoredPrincipal?> GetPrincipalByClientIdAsync(string clientId, CancellationToken cancellationToken = default);

    Task<StoredPrincipal?> GetPrincipalAsync(string objectId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredRoleAssignment>> GetRoleAssignmentsForPrincipalAsync(string principalId, CancellationToken cancellationToken = default);

    /// <summary>Every assignment whose scope is <paramref name="scope"/> or lies under it, for listing and for deletes.</summary>
    Task<IReadOnlyList<StoredRoleAssignment>> GetRoleAssignmentsUnderAsync(string scope, CancellationToken cancellationToken = default);

    /// <summary>Every assignment whose scope is <paramref name="scope"/> or one of its ancestors: what applies at that scope.</summary>
    Task<IReadOnlyList<StoredRoleAssignment>> GetRoleAssignmentsAboveAsync(string scope, CancellationToken cancellationToken = default);

    Task<StoredRoleAssignment?> GetRoleAssignmentAsync(string id, CancellationToken cancellationToken = default);

    Task<StoredAccessPolicies?> GetAccessPoliciesAsync(string ownerId, CancellationToken cancellationToken = default);

    Task<StoredOperation?> GetOperationAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IssuanceAuditRecord>> GetAuditRecordsAsync(string policyResourceId, CancellationToken cancellationToken = default);

    /// <summary>The activity log entries matching <paramref name="query"/>, newest first, at most <see cref="ActivityQuery.Limit"/>.</summary>
    Task<IReadOnlyList<StoredActivity>> GetActivityAsync(ActivityQuery query, CancellationToken cancellationToken = default);

    Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken = default);
}
