using Microsoft.Data.Sqlite;
using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite.Tests;

public sealed class SqliteOutpostStoreTests : IDisposable
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string Group = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg";
    private const string Namespace = Group + "/providers/Microsoft.DeviceRegistry/namespaces/ns";

    private readonly TemporaryStore temporary = new();

    public void Dispose() => temporary.Dispose();

    private SqliteOutpostStore Store => temporary.Store;

    [Fact]
    public void StartUpAppliesEveryMigrationOnceAndUsesWriteAheadLogging()
    {
        Assert.Equal(SchemaMigrations.All.Count, Store.SchemaVersion);
        using var again = new SqliteOutpostStore(temporary.DatabasePath);
        again.Initialize();
        Assert.Equal(SchemaMigrations.All.Count, again.SchemaVersion);

        using var connection = new SqliteConnection($"Data Source={temporary.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task ResourcesAreFoundWhateverTheCasingOfTheirId()
    {
        await Store.CommitAsync(new StoreChangeSet().PutResource(Resource(Namespace, "{\"name\":\"ns\"}"), expectedVersion: 0), TestContext.Current.CancellationToken);
        var found = await Store.GetResourceAsync(Namespace.ToUpperInvariant(), TestContext.Current.CancellationToken);
        Assert.NotNull(found);
        Assert.Equal(Namespace, found.Id);
        Assert.Equal(1, found.Version);
    }

    [Fact]
    public async Task AStaleVersionFailsTheWholeChangeSetWithAConflict()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.CommitAsync(new StoreChangeSet().PutResource(Resource(Namespace, "{\"v\":1}"), expectedVersion: 0), ct);

        // A second creator, and a writer that read version 0, both lose; the key in the same change set is not written.
        var stale = new StoreChangeSet()
            .PutSigningKey(new StoredSigningKey(Namespace + "/credentials/default", [1], [2]))
            .PutResource(Resource(Namespace, "{\"v\":2}"), expectedVersion: 0);
        var conflict = await Assert.ThrowsAsync<OutpostException>(() => Store.CommitAsync(stale, ct));
        Assert.Equal(ErrorCode.Conflict, conflict.Code);
        Assert.Contains("already exists", conflict.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetSigningKeyAsync(Namespace + "/credentials/default", ct));
        Assert.Equal("{\"v\":1}", (await Store.GetResourceAsync(Namespace, ct))!.Body);

        await Store.CommitAsync(new StoreChangeSet().PutResource(Resource(Namespace, "{\"v\":2}"), expectedVersion: 1), ct);
        Assert.Equal(2, (await Store.GetResourceAsync(Namespace, ct))!.Version);
    }

    [Fact]
    public async Task DeletingATreeRemovesChildrenKeysIdentitiesAndAssignmentsButNotSiblings()
    {
        var ct = TestContext.Current.CancellationToken;
        var credential = Namespace + "/credentials/default";
        var sibling = Namespace + "-other";
        await Store.CommitAsync(new StoreChangeSet()
            .PutResource(Resource(Namespace, "{}"), 0)
            .PutResource(Resource(credential, "{}", parent: Namespace), 0)
            .PutResource(Resource(sibling, "{}"), 0)
            .PutSigningKey(new StoredSigningKey(credential, [1], [2]))
            .PutPrincipal(new StoredPrincipal("object-1", "client-1", "ns", PrincipalKind.SystemAssignedIdentity, null, Namespace))
            .PutRoleAssignment(new StoredRoleAssignment(Namespace + "/providers/Microsoft.Authorization/roleAssignments/a", Namespace, "role", "object-2")), ct);

        await Store.CommitAsync(new StoreChangeSet().DeleteResourceTree(Namespace), ct);

        Assert.Null(await Store.GetResourceAsync(Namespace, ct));
        Assert.Null(await Store.GetResourceAsync(credential, ct));
        Assert.Null(await Store.GetSigningKeyAsync(credential, ct));
        Assert.Null(await Store.GetPrincipalAsync("object-1", ct));
        Assert.Empty(await Store.GetRoleAssignmentsForPrincipalAsync("object-2", ct));
        Assert.NotNull(await Store.GetResourceAsync(sibling, ct));
    }

    [Fact]
    public async Task ListsSelectByTypeGroupAndParent()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Type = "Microsoft.DeviceRegistry/namespaces";
        await Store.CommitAsync(new StoreChangeSet()
            .PutResource(Resource(Namespace, "{}"), 0)
            .PutResource(Resource("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/other/providers/Microsoft.DeviceRegistry/namespaces/x", "{}", group: "other"), 0), ct);

        Assert.Equal(2, (await Store.GetResourcesAsync(new ResourceQuery(Type, Subscription), ct)).Count);
        Assert.Single(await Store.GetResourcesAsync(new ResourceQuery(Type, Subscription, "RG"), ct));
        Assert.True(await Store.HasChildResourcesAsync(Group, ct));
        Assert.False(await Store.HasChildResourcesAsync(Namespace, ct));
    }

    [Fact]
    public async Task OperationsAuditRecordsAndSettingsRoundTrip()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        var policy = Namespace + "/credentials/default/policies/p";
        await Store.CommitAsync(new StoreChangeSet()
            .PutOperation(new StoredOperation("op-1", Namespace, "Succeeded", now, now, null, "{\"r\":1}"))
            .AppendAudit(new IssuanceAuditRecord("0A", "CN=d", "AB", policy, "client", now, now.AddDays(30), now))
            .PutSetting("tenantId", "t"), ct);

        var operation = await Store.GetOperationAsync("op-1", ct);
        Assert.Equal("{\"r\":1}", operation!.ResultJson);
        Assert.Equal(now.ToUnixTimeMilliseconds(), operation.StartTime.ToUnixTimeMilliseconds());
        Assert.Equal("CN=d", Assert.Single(await Store.GetAuditRecordsAsync(policy.ToUpperInvariant(), ct)).Subject);
        Assert.Equal("t", await Store.GetSettingAsync("tenantId", ct));

        // The audit log is append-only: the same serial twice is refused rather than overwritten.
        await Assert.ThrowsAsync<SqliteException>(() => Store.CommitAsync(new StoreChangeSet()
            .AppendAudit(new IssuanceAuditRecord("0A", "CN=other", "CD", policy, "client", now, now, now)), ct));
    }

    [Fact]
    public async Task ConcurrentCommitsAllLandAndAConflictFailsOnlyItself()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.CommitAsync(new StoreChangeSet().PutResource(Resource(Namespace, "{}"), 0), ct);

        // Many writers at once share transactions; the one that races on an existing id must fail alone.
        var writes = Enumerable.Range(0, 200).Select(index => Store.CommitAsync(new StoreChangeSet()
            .PutResource(Resource($"{Group}/providers/Microsoft.DeviceRegistry/namespaces/ns-{index}", "{}"), 0), ct)).ToList();
        var conflicting = Store.CommitAsync(new StoreChangeSet().PutResource(Resource(Namespace, "{\"late\":true}"), 0), ct);
        await Task.WhenAll(writes);
        Assert.Equal(ErrorCode.Conflict, (await Assert.ThrowsAsync<OutpostException>(() => conflicting)).Code);

        Assert.Equal(201, (await Store.GetResourcesAsync(new ResourceQuery("Microsoft.DeviceRegistry/namespaces", Subscription), ct)).Count);
        Assert.Equal("{}", (await Store.GetResourceAsync(Namespace, ct))!.Body);
    }

    private static StoredResource Resource(string id, string body, string group = "rg", string? parent = null) =>
        new(id, "Microsoft.DeviceRegistry/namespaces" + (parent is null ? string.Empty : "/credentials"), Subscription, group, parent, body);
}
