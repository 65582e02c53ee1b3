using System.Globalization;
using Microsoft.Data.Sqlite;
using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a commit that returned
/// has reached the disk. One writer task writes every commit (SQLite has one writer anyway), batching those that
/// queue up behind each other into one transaction so that many concurrent writes share one fsync.
/// </summary>
internal sealed partial class SqliteOutpostStore : IOutpostStore, IDisposable
{
    private readonly SqliteDatabase database;
    private readonly GroupCommitQueue<StoreChangeSet> writer;

    public SqliteOutpostStore(string databasePath)
    {
        database = new SqliteDatabase(databasePath);
        writer = new GroupCommitQueue<StoreChangeSet>(database.OpenForWriting, ApplyChangeSetAsync);
    }

    /// <summary>Creates the file if needed, switches it to WAL and applies pending migrations.</summary>
    public void Initialize() => database.Migrate(SchemaMigrations.All);

    public int SchemaVersion => database.SchemaVersion();

    /// <summary>
    /// Group commit (see <see cref="GroupCommitQueue{TItem}"/>): change sets that queue up behind each other share one
    /// transaction and one fsync, each in its own savepoint, and a caller is answered once its changes are durable.
    /// </summary>
    public Task CommitAsync(StoreChangeSet changes, CancellationToken cancellationToken = default) => writer.EnqueueAsync(changes, cancellationToken);

    private static async Task ApplyChangeSetAsync(SqliteConnection connection, SqliteTransaction transaction, StoreChangeSet changes)
    {
        foreach (var change in changes.Changes)
        {
            await ApplyAsync(connection, transaction, change, CancellationToken.None);
        }
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    internal static string Key(string id) => id.ToLowerInvariant();

    private SqliteConnection OpenForReading() => database.OpenForReading();

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters) =>
        SqliteDatabase.Command(connection, sql, transaction, parameters);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static OutpostException VersionConflict(string id, long expected, long? actual) =>
        new(ErrorCode.Conflict, expected == 0
            ? $"The resource '{id}' already exists; it was created by another request. Read it and retry."
            : actual is null
                ? $"The resource '{id}' was deleted by another request while this one ran. Retry the request."
                : $"The resource '{id}' was changed by another request while this one ran (version {actual}, expected {expected}). Retry the request.");
}
