namespace Outpost.Core.Storage;

/// <summary>
/// Writes that must land together or not at all: creating a namespace stores the namespace, its identity, its
/// credential, its default policy and both CA keys in one commit, so a failure never leaves half of it behind.
/// </summary>
public sealed class StoreChangeSet
{
    private readonly List<StoreChange> changes = [];

    public IReadOnlyList<StoreChange> Changes => changes;

    /// <summary>
    /// Creates or replaces a resource. <paramref name="expectedVersion"/> 0 means "must not exist yet", a positive
    /// value means "must still be at that version"; a mismatch fails the whole commit with a conflict.
    /// </summary>
    public StoreChangeSet PutResource(StoredResource resource, long expectedVersion) =>
        Add(new StoreChange.PutResource(resource, expectedVersion));

    /// <summary>Deletes a resource and every resource whose id lies under it (children), with their keys and identities.</summary>
    public StoreChangeSet DeleteResourceTree(string id) => Add(new StoreChange.DeleteResourceTree(id));

    public StoreChangeSet PutSigningKey(StoredSigningKey key) => Add(new StoreChange.PutSigningKey(key));

    public StoreChangeSet PutPrincipal(StoredPrincipal principal) => Add(new StoreChange.PutPrincipal(principal));

    public StoreChangeSet PutRoleAssignment(StoredRoleAssignment assignment) => Add(new StoreChange.PutRoleAssignment(assignment));

    public StoreChangeSet DeleteRoleAssignment(string id) => Add(new StoreChange.DeleteRoleAssignment(id));

    public StoreChangeSet PutAccessPolicies(StoredAccessPolicies policies) => Add(new StoreChange.PutAccessPolicies(policies));

    public StoreChangeSet PutOperation(StoredOperation operation) => Add(new StoreChange.PutOperation(operation));

    public StoreChangeSet AppendAudit(IssuanceAuditRecord record) => Add(new StoreChange.AppendAudit(record));

    public StoreChangeSet PutSetting(string name, string value) => Add(new StoreChange.PutSetting(name, value));

    public StoreChangeSet AppendActivity(ActivityRecord record) => Add(new StoreChange.AppendActivity(record));

    /// <summary>Removes activity entries older than <paramref name="cutoff"/>: the log's retention.</summary>
    public StoreChangeSet PruneActivity(DateTimeOffset cutoff) => Add(new StoreChange.PruneActivity(cutoff));

    private StoreChangeSet Add(StoreChange change)
    {
        changes.Add(change);
        return this;
    }
}

/// <summary>One write inside a <see cref="StoreChangeSet"/>; a store implementation switches over these.</summary>
public abstract record StoreChange
{
    private StoreChange()
    {
    }

    public sealed record PutResource(StoredResource Resource, long ExpectedVersion) : StoreChange;

    public sealed record DeleteResourceTree(string Id) : StoreChange;

    public sealed record PutSigningKey(StoredSigningKey Key) : StoreChange;

    public sealed record PutPrincipal(StoredPrincipal Principal) : StoreChange;

    public sealed record PutRoleAssignment(StoredRoleAssignment Assignment) : StoreChange;

    public sealed record DeleteRoleAssignment(string Id) : StoreChange;

    public sealed record PutAccessPolicies(StoredAccessPolicies Policies) : StoreChange;

    public sealed record PutOperation(StoredOperation Operation) : StoreChange;

    public sealed record AppendAudit(IssuanceAuditRecord Record) : StoreChange;

    public sealed record PutSetting(string Name, string Value) : StoreChange;

    public sealed record AppendActivity(ActivityRecord Record) : StoreChange;

    public sealed record PruneActivity(DateTimeOffset Cutoff) : StoreChange;
}
