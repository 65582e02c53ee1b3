using Microsoft.Data.Sqlite;
using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite;

internal sealed partial class SqliteOutpostStore
{
    private static async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, StoreChange change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case StoreChange.PutResource put:
                await PutResourceAsync(connection, transaction, put, cancellationToken);
                break;
            case StoreChange.DeleteResourceTree delete:
                await DeleteResourceTreeAsync(connection, transaction, delete.Id, cancellationToken);
                break;
            case StoreChange.PutSigningKey put:
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT OR REPLACE INTO signing_keys (owner_key, owner_id, certificate, protected_private_key) VALUES ($k, $id, $cert, $key)",
                    ("$k", Key(put.Key.OwnerId)), ("$id", put.Key.OwnerId), ("$cert", put.Key.CertificateDer), ("$key", put.Key.ProtectedPrivateKey));
                break;
            case StoreChange.PutPrincipal put:
                var principal = put.Principal;
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT OR REPLACE INTO principals (object_id, client_id, display_name, kind, secret_hash, owner_key) VALUES ($o, $c, $d, $kind, $s, $owner)",
                    ("$o", principal.ObjectId), ("$c", principal.ClientId), ("$d", principal.DisplayName), ("$kind", principal.Kind.ToString()),
                    ("$s", principal.SecretHash), ("$owner", principal.OwnerResourceId is null ? null : Key(principal.OwnerResourceId)));
                break;
            case StoreChange.PutRoleAssignment put:
                var assignment = put.Assignment;
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT OR REPLACE INTO role_assignments (id_key, id, scope, scope_key, role_definition_id, principal_id, created_on, created_by) VALUES ($k, $id, $s, $sk, $r, $p, $on, $by)",
                    ("$k", Key(assignment.Id)), ("$id", assignment.Id), ("$s", assignment.Scope), ("$sk", Key(assignment.Scope)),
                    ("$r", assignment.RoleDefinitionId), ("$p", assignment.PrincipalId),
                    ("$on", assignment.CreatedOn is { } on ? Time(on) : null), ("$by", assignment.CreatedBy));
                break;
            case StoreChange.DeleteRoleAssignment delete:
                await RunAsync(connection, transaction, cancellationToken, "DELETE FROM role_assignments WHERE id_key = $k", ("$k", Key(delete.Id)));
                break;
            case StoreChange.PutAccessPolicies put:
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT OR REPLACE INTO access_policies (owner_key, owner_id, protected_rules) VALUES ($k, $id, $rules)",
                    ("$k", Key(put.Policies.OwnerId)), ("$id", put.Policies.OwnerId), ("$rules", put.Policies.ProtectedRules));
                break;
            case StoreChange.PutOperation put:
                var operation = put.Operation;
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT OR REPLACE INTO operations (id, resource_id, status, start_time, end_time, error_json, result_json) VALUES ($id, $r, $s, $st, $et, $e, $res)",
                    ("$id", operation.Id), ("$r", operation.ResourceId), ("$s", operation.Status), ("$st", Time(operation.StartTime)),
                    ("$et", operation.EndTime is { } end ? Time(end) : null), ("$e", operation.ErrorJson), ("$res", operation.ResultJson));
                break;
            case StoreChange.AppendAudit append:
                var record = append.Record;
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT INTO issuance_audit (serial_number, subject, thumbprint, policy_key, policy_id, requester, not_before, not_after, issued_at) VALUES ($sn, $sub, $t, $pk, $p, $r, $nb, $na, $at)",
                    ("$sn", record.SerialNumber), ("$sub", record.Subject), ("$t", record.Thumbprint), ("$pk", Key(record.PolicyResourceId)),
                    ("$p", record.PolicyResourceId), ("$r", record.Requester), ("$nb", Time(record.NotBefore)), ("$na", Time(record.NotAfter)), ("$at", Time(record.IssuedAt)));
                break;
            case StoreChange.PutSetting put:
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT OR REPLACE INTO settings (name, value) VALUES ($n, $v)", ("$n", put.Name), ("$v", put.Value));
                break;
            case StoreChange.AppendActivity append:
                var activity = append.Record;
                await RunAsync(connection, transaction, cancellationToken,
                    "INSERT INTO activity_log (subscription_key, resource_group_key, resource_key, provider_key, correlation_id, event_timestamp, body) VALUES ($s, $g, $r, $p, $c, $t, $b)",
                    ("$s", Key(activity.SubscriptionId)), ("$g", activity.ResourceGroup is null ? null : Key(activity.ResourceGroup)), ("$r", Key(activity.ResourceId)),
                    ("$p", Key(activity.ResourceProvider)), ("$c", activity.CorrelationId), ("$t", Time(activity.Timestamp)), ("$b", activity.Body));
                break;
            case StoreChange.PruneActivity prune:
                await RunAsync(connection, transaction, cancellationToken, "DELETE FROM activity_log WHERE event_timestamp < $t", ("$t", Time(prune.Cutoff)));
                break;
            default:
                throw new NotSupportedException($"The store has no handler for {change.GetType().Name}.");
        }
    }

    private static async Task PutResourceAsync(SqliteConnection connection, SqliteTransaction transaction, StoreChange.PutResource put, CancellationToken cancellationToken)
    {
        var resource = put.Resource;
        var key = Key(resource.Id);
        long? current;
        await using (var read = Command(connection, "SELECT version FROM resources WHERE id_key = $k", transaction, ("$k", key)))
        {
            current = await read.ExecuteScalarAsync(cancellationToken) is long version ? version : null;
        }

        if ((current ?? 0) != put.ExpectedVersion)
        {
            throw VersionConflict(resource.Id, put.ExpectedVersion, current);
        }

        await RunAsync(connection, transaction, cancellationToken,
            """
            INSERT OR REPLACE INTO resources (id_key, id, type_key, subscription_key, resource_group_key, parent_key, body, version)
            VALUES ($k, $id, $t, $s, $rg, $p, $b, $v)
            """,
            ("$k", key), ("$id", resource.Id), ("$t", Key(resource.Type)), ("$s", Key(resource.SubscriptionId)),
            ("$rg", resource.ResourceGroup is null ? null : Key(resource.ResourceGroup)), ("$p", resource.ParentId is null ? null : Key(resource.ParentId)),
            ("$b", resource.Body), ("$v", put.ExpectedVersion + 1));
    }

    /// <summary>Removes a resource, its descendants, their keys, system identities and the role assignments scoped to them.</summary>
    private static async Task DeleteResourceTreeAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var key = Key(id);
        // '0' is the character after '/', so [key + '/', key + '0') is exactly the ids under key, and uses the index.
        (string, object?)[] range = [("$k", key), ("$lo", key + "/"), ("$hi", key + "0")];
        foreach (var (table, column) in TreeOwnedColumns)
        {
            // Table and column names come from the constant list below, never from input.
            await RunAsync(connection, transaction, cancellationToken, $"DELETE FROM {table} WHERE {UnderClause(column)}", range);
        }
    }

    private static readonly (string Table, string Column)[] TreeOwnedColumns =
    [
        ("resources", "id_key"), ("signing_keys", "owner_key"), ("principals", "owner_key"), ("role_assignments", "scope_key"), ("access_policies", "owner_key"),
    ];

    private static string UnderClause(string column) => $"({column} = $k OR ({column} >= $lo AND {column} < $hi))";

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The SQL parameters are a params array, which must come last.")]
    private static async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
