namespace Outpost.Storage.Sqlite;

/// <summary>
/// The schema, as an append-only list of migrations. <c>PRAGMA user_version</c> records how many have run; start-up
/// applies the rest in one transaction each. Never edit a shipped migration: add a new one.
/// </summary>
internal static class SchemaMigrations
{
    public static readonly IReadOnlyList<string> All =
    [
        // 1: resources, keys, identities, role assignments, operations, audit, settings.
        """
        CREATE TABLE resources (
            id_key TEXT PRIMARY KEY,           -- lower-cased id: ARM ids compare case-insensitively
            id TEXT NOT NULL,
            type_key TEXT NOT NULL,
            subscription_key TEXT NOT NULL,
            resource_group_key TEXT,
            parent_key TEXT,
            body TEXT NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX resources_by_group ON resources (subscription_key, type_key, resource_group_key);
        CREATE INDEX resources_by_parent ON resources (parent_key, type_key);

        CREATE TABLE signing_keys (
            owner_key TEXT PRIMARY KEY,
            owner_id TEXT NOT NULL,
            certificate BLOB NOT NULL,
            protected_private_key BLOB NOT NULL
        );

        CREATE TABLE principals (
            object_id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            kind TEXT NOT NULL,
            secret_hash TEXT,
            owner_key TEXT
        );

        CREATE TABLE role_assignments (
            id_key TEXT PRIMARY KEY,
            id TEXT NOT NULL,
            scope TEXT NOT NULL,
            scope_key TEXT NOT NULL,
            role_definition_id TEXT NOT NULL,
            principal_id TEXT NOT NULL
        );
        CREATE INDEX role_assignments_by_principal ON role_assignments (principal_id);

        CREATE TABLE operations (
            id TEXT PRIMARY KEY,
            resource_id TEXT NOT NULL,
            status TEXT NOT NULL,
            start_time TEXT NOT NULL,
            end_time TEXT,
            error_json TEXT,
            result_json TEXT
        );

        CREATE TABLE issuance_audit (
            serial_number TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            thumbprint TEXT NOT NULL,
            policy_key TEXT NOT NULL,
            policy_id TEXT NOT NULL,
            requester TEXT NOT NULL,
            not_before TEXT NOT NULL,
            not_after TEXT NOT NULL,
            issued_at TEXT NOT NULL
        );
        CREATE INDEX issuance_audit_by_policy ON issuance_audit (policy_key);

        CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,

        // 2: role assignments remember when and by whom they were made; shared access policies of hubs and DPS instances.
        """
        ALTER TABLE role_assignments ADD COLUMN created_on TEXT;
        ALTER TABLE role_assignments ADD COLUMN created_by TEXT;
        CREATE INDEX role_assignments_by_scope ON role_assignments (scope_key);

        CREATE TABLE access_policies (
            owner_key TEXT PRIMARY KEY,
            owner_id TEXT NOT NULL,
            protected_rules BLOB NOT NULL
        );
        """,

        // 3: the activity log of management writes; seq orders it and continues pages.
        """
        CREATE TABLE activity_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            subscription_key TEXT NOT NULL,
            resource_group_key TEXT,
            resource_key TEXT NOT NULL,
            provider_key TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            event_timestamp TEXT NOT NULL,   -- ISO 8601 UTC with fixed width, so text order is time order
            body TEXT NOT NULL
        );
        CREATE INDEX activity_log_by_time ON activity_log (subscription_key, event_timestamp);
        """,
    ];
}
