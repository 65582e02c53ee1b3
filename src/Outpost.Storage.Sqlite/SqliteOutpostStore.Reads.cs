using Microsoft.Data.Sqlite;
using Outpost.Core.Storage;

namespace Outpost.Storage.Sqlite;

internal sealed partial class SqliteOutpostStore
{
    public async Task<StoredResource?> GetResourceAsync(string id, CancellationToken cancellationToken = default)
    {
        var rows = await QueryResourcesAsync("id_key = $k", cancellationToken, ("$k", Key(id)));
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<StoredResource>> GetResourcesAsync(ResourceQuery query, CancellationToken cancellationToken = default)
    {
        var where = "subscription_key = $s AND type_key = $t";
        if (query.ResourceGroup is not null)
        {
            where += " AND resource_group_key = $rg";
        }

        if (query.ParentId is not null)
        {
            where += " AND parent_key = $p";
        }

        return QueryResourcesAsync(where + " ORDER BY id_key", cancellationToken,
            ("$s", Key(query.SubscriptionId)), ("$t", Key(query.Type)),
            ("$rg", query.ResourceGroup is null ? null : Key(query.ResourceGroup)), ("$p", query.ParentId is null ? null : Key(query.ParentId)));
    }

    public async Task<bool> HasChildResourcesAsync(string id, CancellationToken cancellationToken = default)
    {
        var key = Key(id);
        await using var connection = OpenForReading();
        await using var command = Command(connection, "SELECT 1 FROM resources WHERE id_key >= $lo AND id_key < $hi LIMIT 1", null, ("$lo", key + "/"), ("$hi", key + "0"));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<StoredSigningKey?> GetSigningKeyAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await using var connection = OpenForReading();
        await using var command = Command(connection, "SELECT owner_id, certificate, protected_private_key FROM signing_keys WHERE owner_key = $k", null, ("$k", Key(ownerId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredSigningKey(reader.GetString(0), (byte[])reader[1], (byte[])reader[2])
            : null;
    }

    public Task<StoredPrincipal?> GetPrincipalByClientIdAsync(string clientId, CancellationToken cancellationToken = default) =>
        QueryPrincipalAsync("client_id = $v", clientId, cancellationToken);

    public Task<StoredPrincipal?> GetPrincipalAsync(string objectId, CancellationToken cancellationToken = default) =>
        QueryPrincipalAsync("object_id = $v", objectId, cancellationToken);

    public Task<IReadOnlyList<StoredRoleAssignment>> GetRoleAssignmentsForPrincipalAsync(string principalId, CancellationToken cancellationToken = default) =>
        QueryRoleAssignmentsAsync("principal_id = $p", cancellationToken, ("$p", principalId));

    public Task<IReadOnlyList<StoredRoleAssignment>> GetRoleAssignmentsUnderAsync(string scope, CancellationToken cancellationToken = default)
    {
        var key = Key(scope).TrimEnd('/');
        return QueryRoleAssignmentsAsync("scope_key = $k OR (scope_key >= $lo AND scope_key < $hi)", cancellationToken, ("$k", key), ("$lo", key + "/"), ("$hi", key + "0"));
    }

    public async Task<IReadOnlyList<StoredRoleAssignment>> GetRoleAssignmentsAboveAsync(string scope, CancellationToken cancellationToken = default)
    {
        // The ancestors of /a/b/c/d are /a/b/c/d, /a/b/c, /a/b and /a: few enough to ask for by name, and each hits the index.
        var key = Key(scope).TrimEnd('/');
        var ancestors = new List<string> { "/" };
        for (var index = key.IndexOf('/', 1); index > 0; index = key.IndexOf('/', index + 1))
        {
            ancestors.Add(key[..index]);
        }

        ancestors.Add(key);
        var names = ancestors.Select((_, index) => $"$s{index}").ToList();
        return await QueryRoleAssignmentsAsync($"scope_key IN ({string.Join(", ", names)})", cancellationToken,
            [.. ancestors.Select((ancestor, index) => (names[index], (object?)ancestor))]);
    }

    public async Task<StoredRoleAssignment?> GetRoleAssignmentAsync(string id, CancellationToken cancellationToken = default)
    {
        var rows = await QueryRoleAssignmentsAsync("id_key = $k", cancellationToken, ("$k", Key(id)));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<StoredAccessPolicies?> GetAccessPoliciesAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await using var connection = OpenForReading();
        await using var command = Command(connection, "SELECT owner_id, protected_rules FROM access_policies WHERE owner_key = $k", null, ("$k", Key(ownerId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredAccessPolicies(reader.GetString(0), (byte[])reader[1]) : null;
    }

    public async Task<StoredOperation?> GetOperationAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = OpenForReading();
        await using var command = Command(connection, "SELECT id, resource_id, status, start_time, end_time, error_json, result_json FROM operations WHERE id = $id", null, ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredOperation(reader.GetString(0), reader.GetString(1), reader.GetString(2), ParseTime(reader.GetString(3)),
            reader.IsDBNull(4) ? null : ParseTime(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
    }

    public async Task<IReadOnlyList<IssuanceAuditRecord>> GetAuditRecordsAsync(string policyResourceId, CancellationToken cancellationToken = default)
    {
        await using var connection = OpenForReading();
        await using var command = Command(connection,
            "SELECT serial_number, subject, thumbprint, policy_id, requester, not_before, not_after, issued_at FROM issuance_audit WHERE policy_key = $p ORDER BY issued_at",
            null, ("$p", Key(policyResourceId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<IssuanceAuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new IssuanceAuditRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                ParseTime(reader.GetString(5)), ParseTime(reader.GetString(6)), ParseTime(reader.GetString(7))));
        }

        return result;
    }

    public async Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = OpenForReading();
        await using var command = Command(connection, "SELECT value FROM settings WHERE name = $n", null, ("$n", name));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The SQL parameters are a params array, which must come last.")]
    private async Task<IReadOnlyList<StoredResource>> QueryResourcesAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = OpenForReading();
        // `where` is composed only from constant fragments in this class; values travel as parameters.
        await using var command = Command(connection,
            "SELECT r.id, r.body, r.version, r.subscription_key, r.resource_group_key, r.parent_key, r.type_key FROM resources r WHERE " + where,
            null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<StoredResource>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadResource(reader));
        }

        return result;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The SQL parameters are a params array, which must come last.")]
    private async Task<IReadOnlyList<StoredRoleAssignment>> QueryRoleAssignmentsAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = OpenForReading();
        // `where` is composed only from constant fragments in this class; values travel as parameters.
        await using var command = Command(connection,
            "SELECT id, scope, role_definition_id, principal_id, created_on, created_by FROM role_assignments WHERE " + where + " ORDER BY id_key", null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<StoredRoleAssignment>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new StoredRoleAssignment(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : ParseTime(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return result;
    }

    private static StoredResource ReadResource(SqliteDataReader reader)
    {
        // Type, subscription and group keys are lower-cased; the body keeps the casing clients sent, so callers read names from there.
        return new StoredResource(reader.GetString(0), reader.GetString(6), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(1), reader.GetInt64(2));
    }

    private async Task<StoredPrincipal?> QueryPrincipalAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var connection = OpenForReading();
        await using var command = Command(connection, "SELECT object_id, client_id, display_name, kind, secret_hash, owner_key FROM principals WHERE " + where, null, ("$v", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredPrincipal(reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<PrincipalKind>(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5));
    }
}
