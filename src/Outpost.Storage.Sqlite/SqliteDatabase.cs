using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Outpost.Storage.Sqlite;

/// <summary>
/// One SQLite file as Outpost keeps them: WAL mode, <c>synchronous=FULL</c> on writing connections (in WAL mode
/// NORMAL can lose the last commits on power loss, and an acknowledged write must survive that), and an append-only
/// list of migrations counted by <c>PRAGMA user_version</c>.
/// </summary>
internal sealed class SqliteDatabase(string path)
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Creates the file if needed, switches it to WAL and applies the migrations not yet run, one transaction each.</summary>
    public void Migrate(IReadOnlyList<string> migrations)
    {
        using var connection = OpenForWriting();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        var applied = SchemaVersion(connection);
        for (var index = applied; index < migrations.Count; index++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, migrations[index], transaction);
            // PRAGMA takes no parameters; the value is our own integer.
            Execute(connection, $"PRAGMA user_version = {index + 1};", transaction);
            transaction.Commit();
        }
    }

    public int SchemaVersion()
    {
        using var connection = OpenForReading();
        return SchemaVersion(connection);
    }

    /// <summary>A pooled connection for reads. Readers see committed data in WAL mode without any pragma.</summary>
    public SqliteConnection OpenForReading()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    public SqliteConnection OpenForWriting()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
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

    private static int SchemaVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
