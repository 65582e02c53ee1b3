using System.Text;
using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite;

internal sealed partial class SqliteOutpostStore
{
    public async Task<IReadOnlyList<StoredActivity>> GetActivityAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT seq, body FROM activity_log WHERE subscription_key = $s AND event_timestamp >= $from AND event_timestamp <= $to");
        var parameters = new List<(string Name, object? Value)>
        {
            ("$s", Key(query.SubscriptionId)), ("$from", Time(query.From)), ("$to", Time(query.To)), ("$limit", query.Limit),
        };

        // Each optional filter adds a constant fragment; its value travels as a parameter.
        void Narrow(string? value, string column, string name)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(column).Append(" = ").Append(name);
                parameters.Add((name, column == "correlation_id" ? value : Key(value)));
            }
        }

        Narrow(query.ResourceGroup, "resource_group_key", "$g");
        Narrow(query.ResourceId, "resource_key", "$r");
        Narrow(query.ResourceProvider, "provider_key", "$p");
        Narrow(query.CorrelationId, "correlation_id", "$c");
        if (query.Before is { } before)
        {
            sql.Append(" AND seq < $before");
            parameters.Add(("$before", before));
        }

        sql.Append(" ORDER BY seq DESC LIMIT $limit");
        await using var connection = OpenForReading();
        await using var command = Command(connection, sql.ToString(), null, [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<StoredActivity>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new StoredActivity(reader.GetInt64(0), reader.GetString(1)));
        }

        return result;
    }
}
