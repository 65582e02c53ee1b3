using System.Globalization;
using Microsoft.Data.Sqlite;
using Outpost.Core.Messaging;
using static Outpost.Storage.Sqlite.SqliteDatabase;

namespace Outpost.Storage.Sqlite;

/// <summary>
/// The embedded device message store (<c>messages.db</c>): each hub's event log and its devices' cloud-to-device
/// queues. Appends and enqueues go through group commit, so a device is acknowledged only after its message is
/// durable while many devices share each fsync. Hub and device ids compare case-insensitively.
/// </summary>
internal sealed class SqliteMessageStore : IEventLog, ICloudToDeviceMessages, IDeviceSubscriptions
{
    private readonly SqliteDatabase database;
    private readonly GroupCommitQueue<Write> writer;

    /// <summary>The next sequence number of each hub partition, known to the writer alone; reloaded after a failed batch.</summary>
    private readonly Dictionary<(string Hub, int Partition), long> nextSequence = [];

    public SqliteMessageStore(string databasePath)
    {
        database = new SqliteDatabase(databasePath);
        // None of these writes can fail on its own (no version checks), so a batch goes without savepoints.
        writer = new GroupCommitQueue<Write>(database.OpenForWriting, ApplyBatchAsync, nextSequence.Clear);
    }

    public void Initialize() => database.Migrate(MessageMigrations.All);

    public async Task<long> AppendAsync(DeviceEvent deviceEvent, CancellationToken cancellationToken = default)
    {
        var write = new Write.Append(deviceEvent);
        await writer.EnqueueAsync(write, cancellationToken);
        return write.Sequence;
    }

    public async Task<IReadOnlyList<DeviceEvent>> ReadAsync(string hubId, int partition, long fromSequence, int maxCount, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection,
            "SELECT sequence, enqueued_ms, device_id, properties, body FROM events WHERE hub_key = $h AND partition = $p AND sequence >= $s ORDER BY sequence LIMIT $n",
            null, ("$h", Key(hubId)), ("$p", partition), ("$s", fromSequence), ("$n", maxCount));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<DeviceEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new DeviceEvent(hubId, partition, reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(3),
                (byte[])reader.GetValue(4), reader.GetInt64(0)));
        }

        return events;
    }

    public async Task<(long First, long Last)?> RangeAsync(string hubId, int partition, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection, "SELECT MIN(sequence), MAX(sequence) FROM events WHERE hub_key = $h AND partition = $p", null,
            ("$h", Key(hubId)), ("$p", partition));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public async Task<long> CountSinceAsync(string hubId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection, "SELECT COUNT(*) FROM events WHERE hub_key = $h AND enqueued_ms >= $t", null,
            ("$h", Key(hubId)), ("$t", since.ToUnixTimeMilliseconds()));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<int> TrimAsync(string hubId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var write = new Write.Trim(hubId, before);
        await writer.EnqueueAsync(write, cancellationToken);
        return write.Count;
    }

    public async Task<IReadOnlyList<string>> HubsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection, "SELECT DISTINCT hub_key FROM events", null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hubs = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hubs.Add(reader.GetString(0));
        }

        return hubs;
    }

    public async Task<long?> GetCheckpointAsync(string hubId, string consumerGroup, int partition, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection, "SELECT sequence FROM checkpoints WHERE hub_key = $h AND consumer_group_key = $g AND partition = $p", null,
            ("$h", Key(hubId)), ("$g", Key(consumerGroup)), ("$p", partition));
        return await command.ExecuteScalarAsync(cancellationToken) is long sequence ? sequence : null;
    }

    public Task SetCheckpointAsync(string hubId, string consumerGroup, int partition, long sequence, CancellationToken cancellationToken = default) =>
        writer.EnqueueAsync(new Write.Checkpoint(hubId, consumerGroup, partition, sequence), cancellationToken);

    public async Task<(bool Accepted, long Sequence)> EnqueueAsync(CloudToDeviceMessage message, int maxDepth, CancellationToken cancellationToken = default)
    {
        var write = new Write.Enqueue(message, maxDepth);
        await writer.EnqueueAsync(write, cancellationToken);
        return (write.Sequence > 0, write.Sequence);
    }

    public async Task<IReadOnlyList<CloudToDeviceMessage>> PendingAsync(string hubId, string deviceId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection,
            """
            SELECT sequence, message_id, correlation_id, content_type, content_encoding, enqueued_ms, expiry_ms, properties, body
            FROM device_messages WHERE hub_key = $h AND device_key = $d AND expiry_ms > $t ORDER BY sequence
            """, null, ("$h", Key(hubId)), ("$d", Key(deviceId)), ("$t", now.ToUnixTimeMilliseconds()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<CloudToDeviceMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new CloudToDeviceMessage(hubId, deviceId, reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetString(7),
                (byte[])reader.GetValue(8), reader.GetInt64(0)));
        }

        return messages;
    }

    public async Task<int> CountAsync(string hubId, string deviceId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection, "SELECT COUNT(*) FROM device_messages WHERE hub_key = $h AND device_key = $d AND expiry_ms > $t", null,
            ("$h", Key(hubId)), ("$d", Key(deviceId)), ("$t", now.ToUnixTimeMilliseconds()));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<int> DropExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var write = new Write.DropExpired(now);
        await writer.EnqueueAsync(write, cancellationToken);
        return write.Count;
    }

    public async Task<bool> CompleteAsync(string hubId, string deviceId, long sequence, CancellationToken cancellationToken = default)
    {
        var write = new Write.Remove(hubId, deviceId, sequence);
        await writer.EnqueueAsync(write, cancellationToken);
        return write.Count > 0;
    }

    public async Task<int> PurgeAsync(string hubId, string deviceId, CancellationToken cancellationToken = default)
    {
        var write = new Write.Remove(hubId, deviceId, null);
        await writer.EnqueueAsync(write, cancellationToken);
        return write.Count;
    }

    /// <summary>Writes a batch; appends share one prepared insert, as telemetry is most of what comes through here.</summary>
    private async Task ApplyBatchAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<Write> writes)
    {
        SqliteCommand? insert = null;
        try
        {
            foreach (var write in writes)
            {
                if (write is Write.Append append)
                {
                    insert ??= PrepareInsert(connection, transaction);
                    await AppendAsync(connection, transaction, insert, append);
                }
                else
                {
                    await ApplyAsync(connection, transaction, write);
                }
            }
        }
        finally
        {
            insert?.Dispose();
        }
    }

    private static SqliteCommand PrepareInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var insert = Command(connection,
            "INSERT INTO events (hub_key, partition, sequence, enqueued_ms, device_id, properties, body) VALUES ($h, $p, $s, $t, $d, $props, $b)", transaction,
            ("$h", string.Empty), ("$p", 0), ("$s", 0L), ("$t", 0L), ("$d", string.Empty), ("$props", string.Empty), ("$b", Array.Empty<byte>()));
        insert.Prepare();
        return insert;
    }

    private async Task AppendAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteCommand insert, Write.Append append)
    {
        var e = append.Event;
        var key = (Key(e.HubId), e.Partition);
        if (!nextSequence.TryGetValue(key, out var sequence))
        {
            await using var next = Command(connection, "SELECT COALESCE(MAX(sequence) + 1, 0) FROM events WHERE hub_key = $h AND partition = $p", transaction,
                ("$h", key.Item1), ("$p", e.Partition));
            sequence = Convert.ToInt64(await next.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        append.Sequence = sequence;
        nextSequence[key] = sequence + 1;
        insert.Parameters["$h"].Value = key.Item1;
        insert.Parameters["$p"].Value = e.Partition;
        insert.Parameters["$s"].Value = sequence;
        insert.Parameters["$t"].Value = e.EnqueuedTime.ToUnixTimeMilliseconds();
        insert.Parameters["$d"].Value = e.DeviceId;
        insert.Parameters["$props"].Value = e.Properties;
        insert.Parameters["$b"].Value = e.Body;
        await insert.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string>> GetAsync(string hubId, string deviceId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = Command(connection, "SELECT topic_filter FROM device_subscriptions WHERE hub_key = $h AND device_key = $d ORDER BY topic_filter", null,
            ("$h", Key(hubId)), ("$d", Key(deviceId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var filters = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            filters.Add(reader.GetString(0));
        }

        return filters;
    }

    public Task AddAsync(string hubId, string deviceId, string topicFilter, CancellationToken cancellationToken = default) =>
        writer.EnqueueAsync(new Write.Subscription(hubId, deviceId, topicFilter), cancellationToken);

    public Task ClearAsync(string hubId, string deviceId, CancellationToken cancellationToken = default) =>
        writer.EnqueueAsync(new Write.Subscription(hubId, deviceId, null), cancellationToken);

    private static async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, Write write)
    {
        switch (write)
        {
            case Write.Subscription { TopicFilter: { } filter } add:
                await RunAsync(connection, transaction, "INSERT OR IGNORE INTO device_subscriptions (hub_key, device_key, topic_filter) VALUES ($h, $d, $f)",
                    ("$h", Key(add.HubId)), ("$d", Key(add.DeviceId)), ("$f", filter));
                break;
            case Write.Subscription clear:
                await RunAsync(connection, transaction, "DELETE FROM device_subscriptions WHERE hub_key = $h AND device_key = $d",
                    ("$h", Key(clear.HubId)), ("$d", Key(clear.DeviceId)));
                break;
            case Write.Trim trim:
                trim.Count = await RunAsync(connection, transaction, "DELETE FROM events WHERE hub_key = $h AND enqueued_ms < $t",
                    ("$h", Key(trim.HubId)), ("$t", trim.Before.ToUnixTimeMilliseconds()));
                break;
            case Write.Checkpoint checkpoint:
                await RunAsync(connection, transaction,
                    "INSERT OR REPLACE INTO checkpoints (hub_key, consumer_group_key, partition, sequence) VALUES ($h, $g, $p, $s)",
                    ("$h", Key(checkpoint.HubId)), ("$g", Key(checkpoint.ConsumerGroup)), ("$p", checkpoint.Partition), ("$s", checkpoint.Sequence));
                break;
            case Write.Enqueue enqueue:
                await EnqueueAsync(connection, transaction, enqueue);
                break;
            case Write.DropExpired drop:
                drop.Count = await RunAsync(connection, transaction, "DELETE FROM device_messages WHERE expiry_ms <= $t", ("$t", drop.Now.ToUnixTimeMilliseconds()));
                break;
            case Write.Remove remove:
                remove.Count = remove.Sequence is { } sequence
                    ? await RunAsync(connection, transaction, "DELETE FROM device_messages WHERE hub_key = $h AND device_key = $d AND sequence = $s",
                        ("$h", Key(remove.HubId)), ("$d", Key(remove.DeviceId)), ("$s", sequence))
                    : await RunAsync(connection, transaction, "DELETE FROM device_messages WHERE hub_key = $h AND device_key = $d",
                        ("$h", Key(remove.HubId)), ("$d", Key(remove.DeviceId)));
                break;
        }
    }

    private static async Task EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, Write.Enqueue enqueue)
    {
        var m = enqueue.Message;
        await using (var count = Command(connection, "SELECT COUNT(*) FROM device_messages WHERE hub_key = $h AND device_key = $d AND expiry_ms > $t", transaction,
            ("$h", Key(m.HubId)), ("$d", Key(m.DeviceId)), ("$t", m.EnqueuedTime.ToUnixTimeMilliseconds())))
        {
            if (Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture) >= enqueue.MaxDepth)
            {
                return;
            }
        }

        await using var insert = Command(connection,
            """
            INSERT INTO device_messages (hub_key, device_key, message_id, correlation_id, content_type, content_encoding, enqueued_ms, expiry_ms, properties, body)
            VALUES ($h, $d, $m, $c, $ct, $ce, $t, $x, $p, $b) RETURNING sequence
            """, transaction,
            ("$h", Key(m.HubId)), ("$d", Key(m.DeviceId)), ("$m", m.MessageId), ("$c", m.CorrelationId), ("$ct", m.ContentType), ("$ce", m.ContentEncoding),
            ("$t", m.EnqueuedTime.ToUnixTimeMilliseconds()), ("$x", m.ExpiryTime.ToUnixTimeMilliseconds()), ("$p", m.Properties), ("$b", m.Body));
        enqueue.Sequence = Convert.ToInt64(await insert.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<int> RunAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string Key(string id) => id.ToLowerInvariant();

    /// <summary>One write through the group commit; results the writer fills in are read by the caller once it is durable.</summary>
    private abstract class Write
    {
        public sealed class Append(DeviceEvent deviceEvent) : Write
        {
            public DeviceEvent Event { get; } = deviceEvent;

            public long Sequence { get; set; }
        }

        public sealed class Trim(string hubId, DateTimeOffset before) : Write
        {
            public string HubId { get; } = hubId;

            public DateTimeOffset Before { get; } = before;

            public int Count { get; set; }
        }

        public sealed class Checkpoint(string hubId, string consumerGroup, int partition, long sequence) : Write
        {
            public string HubId { get; } = hubId;

            public string ConsumerGroup { get; } = consumerGroup;

            public int Partition { get; } = partition;

            public long Sequence { get; } = sequence;
        }

        public sealed class Enqueue(CloudToDeviceMessage message, int maxDepth) : Write
        {
            public CloudToDeviceMessage Message { get; } = message;

            public int MaxDepth { get; } = maxDepth;

            public long Sequence { get; set; }
        }

        public sealed class DropExpired(DateTimeOffset now) : Write
        {
            public DateTimeOffset Now { get; } = now;

            public int Count { get; set; }
        }

        /// <summary>Adds a filter to a device's persistent session, or with a null filter forgets the session.</summary>
        public sealed class Subscription(string hubId, string deviceId, string? topicFilter) : Write
        {
            public string HubId { get; } = hubId;

            public string DeviceId { get; } = deviceId;

            public string? TopicFilter { get; } = topicFilter;
        }

        public sealed class Remove(string hubId, string deviceId, long? sequence) : Write
        {
            public string HubId { get; } = hubId;

            public string DeviceId { get; } = deviceId;

            public long? Sequence { get; } = sequence;

            public int Count { get; set; }
        }
    }
}
