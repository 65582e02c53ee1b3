namespace Outpost.Storage.Sqlite;

/// <summary>
/// The schema of <c>messages.db</c>, the device message store, kept apart from <c>outpost.db</c> so that telemetry's
/// steady stream of small writes never queues behind management commits. Append-only, like <see cref="SchemaMigrations"/>.
/// </summary>
internal static class MessageMigrations
{
    public static readonly IReadOnlyList<string> All =
    [
        // 1: the event log with its checkpoints, and the cloud-to-device queues.
        """
        CREATE TABLE events (
            hub_key TEXT NOT NULL,
            partition INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            enqueued_ms INTEGER NOT NULL,
            device_id TEXT NOT NULL,
            properties TEXT NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (hub_key, partition, sequence)
        ) WITHOUT ROWID;
        CREATE INDEX events_by_time ON events (hub_key, enqueued_ms);

        CREATE TABLE checkpoints (
            hub_key TEXT NOT NULL,
            consumer_group_key TEXT NOT NULL,
            partition INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            PRIMARY KEY (hub_key, consumer_group_key, partition)
        ) WITHOUT ROWID;

        CREATE TABLE device_messages (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            hub_key TEXT NOT NULL,
            device_key TEXT NOT NULL,
            message_id TEXT NOT NULL,
            correlation_id TEXT,
            content_type TEXT,
            content_encoding TEXT,
            enqueued_ms INTEGER NOT NULL,
            expiry_ms INTEGER NOT NULL,
            properties TEXT NOT NULL,
            body BLOB NOT NULL
        );
        CREATE INDEX device_messages_by_device ON device_messages (hub_key, device_key, sequence);
        """,

        // 2: persistent MQTT sessions' subscriptions.
        """
        CREATE TABLE device_subscriptions (
            hub_key TEXT NOT NULL,
            device_key TEXT NOT NULL,
            topic_filter TEXT NOT NULL,
            PRIMARY KEY (hub_key, device_key, topic_filter)
        ) WITHOUT ROWID;
        """,
    ];
}
