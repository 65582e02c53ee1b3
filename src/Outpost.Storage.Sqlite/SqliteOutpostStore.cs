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
    private readonly string connectionString;
    private readonly Lock queueGate = new();
    private List<PendingCommit> queue = [];
    private bool writerRunning;

    public SqliteOutpostStore(string databasePath)
    {
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Creates the file if needed, switches it to WAL and applies pending migrations.</summary>
    public void Initialize()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        var applied = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        for (var index = applied; index < SchemaMigrations.All.Count; index++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, SchemaMigrations.All[index], transaction);
            // PRAGMA takes no parameters; the value is our own integer.
            Execute(connection, $"PRAGMA user_version = {index + 1};", transaction);
            transaction.Commit();
        }
    }

    public int SchemaVersion
    {
        get
        {
            using var connection = Open();
            return Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Group commit: change sets that arrive while a commit is being written wait for the next one and are written
    /// together, each inside its own savepoint, in one transaction with one fsync. A change set that fails (a version
    /// conflict, say) is rolled back to its savepoint and fails alone; the others in the batch still commit. A caller
    /// is answered only after the transaction holding its changes is durable.
    /// </summary>
    public Task CommitAsync(StoreChangeSet changes, CancellationToken cancellationToken = default)
    {
        var pending = new PendingCommit(changes);
        var startWriter = false;
        lock (queueGate)
        {
            queue.Add(pending);
            if (!writerRunning)
            {
                writerRunning = true;
                startWriter = true;
            }
        }

        if (startWriter)
        {
            _ = Task.Run(WriteBatchesAsync, CancellationToken.None);
        }

        // Once queued a change set is written whatever happens to the caller, so cancelling only stops the wait.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteBatchesAsync()
    {
        while (true)
        {
            List<PendingCommit> batch;
            lock (queueGate)
            {
                if (queue.Count == 0)
                {
                    writerRunning = false;
                    return;
                }

                batch = queue;
                queue = [];
            }

            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<PendingCommit> batch)
    {
        var failures = new Exception?[batch.Count];
        try
        {
            await using var connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            for (var index = 0; index < batch.Count; index++)
            {
                var savepoint = $"change_set_{index}";
                transaction.Save(savepoint);
                try
                {
                    foreach (var change in batch[index].Changes.Changes)
                    {
                        await ApplyAsync(connection, transaction, change, CancellationToken.None);
                    }

                    transaction.Release(savepoint);
                }
                catch (Exception exception) when (exception is OutpostException or SqliteException)
                {
                    transaction.Rollback(savepoint);
                    transaction.Release(savepoint);
                    failures[index] = exception;
                }
            }

            await transaction.CommitAsync();
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }

            return;
        }

        for (var index = 0; index < batch.Count; index++)
        {
            if (failures[index] is { } failure)
            {
                batch[index].Completion.TrySetException(failure);
            }
            else
            {
                batch[index].Completion.TrySetResult();
            }
        }
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    internal static string Key(string id) => id.ToLowerInvariant();

    /// <summary>
    /// A pooled connection for reads. Readers see committed data in WAL mode without any pragma; durability settings
    /// matter only where the writer commits.
    /// </summary>
    private SqliteConnection OpenForReading()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // FULL: in WAL mode NORMAL can lose the last commits on power loss; an acknowledged write must survive that.
        Execute(connection, "PRAGMA synchronous=FULL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static OutpostException VersionConflict(string id, long expected, long? actual) =>
        new(ErrorCode.Conflict, expected == 0
            ? $"The resource '{id}' already exists; it was created by another request. Read it and retry."
            : actual is null
                ? $"The resource '{id}' was deleted by another request while this one ran. Retry the request."
                : $"The resource '{id}' was changed by another request while this one ran (version {actual}, expected {expected}). Retry the request.");

    private sealed class PendingCommit(StoreChangeSet changes)
    {
        public StoreChangeSet Changes { get; } = changes;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
