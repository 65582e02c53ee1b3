using Microsoft.Data.Sqlite;

namespace Outpost.IntegrationTests.Support;

/// <summary>Reads the server's issuance audit straight from its database, read-only, while the server runs (WAL allows it).</summary>
internal static class AuditLog
{
    public static AuditRow? Read(string dataDirectory, string serialNumber)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "outpost.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT subject, requester, policy_id, issued_at FROM issuance_audit WHERE serial_number = $serial";
        command.Parameters.AddWithValue("$serial", serialNumber);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new AuditRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)) : null;
    }
}

internal sealed record AuditRow(string Subject, string Requester, string PolicyId, string IssuedAt);
