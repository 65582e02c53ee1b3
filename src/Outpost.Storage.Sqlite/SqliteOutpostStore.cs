using System.Globalization;
using Microsoft.Data.Sqlite;
using Outpost.Core.Errors;
using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a commit that returned
/// has reached the disk. Writes are serialised in-process (SQLite has one writer anyway) to avoid busy retries.
/// </summary>
internal sealed partial class SqliteOutpostStore : IOutpostStore, IDisposable
{
    private readonly string connectionString;
    private readonly SemaphoreSlim writeLock = new(1, 1);

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

    public async Task CommitAsync(StoreChangeSet changes, CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            foreach (var change in changes.Changes)
            {
                await ApplyAsync(connection, transaction, change, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public void Dispose()
    {
        writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }

    internal static string Key(string id) => id.ToLowerInvariant();

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
}
