using AgentFlow.Stores.Postgres.Schema;

namespace AgentFlow.Stores.Postgres;

/// <summary>The API-key statements for one schema (checked by <see cref="PostgresSql.ValidateSchema"/> before use).</summary>
internal sealed class PostgresApiKeySql
{
    /// <summary>The columns <see cref="PostgresWorkflowStore"/> reads for a key, in order, the hash last.</summary>
    private const string Columns = "prefix, tenant_id, name, scopes, created_at, expires_at, last_used_at, revoked_at, secret_hash";

    public PostgresApiKeySql(string schema)
    {
        var s = PostgresMigrations.QuoteIdentifier(schema);
        Insert = $"INSERT INTO {s}.api_keys (prefix, tenant_id, name, scopes, secret_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (prefix) DO NOTHING";
        Find = $"SELECT {Columns} FROM {s}.api_keys WHERE prefix = $1";
        ListAll = $"SELECT {Columns} FROM {s}.api_keys ORDER BY created_at, prefix";
        ListTenant = $"SELECT {Columns} FROM {s}.api_keys WHERE tenant_id = $1 ORDER BY created_at, prefix";
        Revoke = $"UPDATE {s}.api_keys SET revoked_at = $2 WHERE prefix = $1 AND revoked_at IS NULL";
        RecordUse = $"UPDATE {s}.api_keys SET last_used_at = $2 WHERE prefix = $1";
    }

    public string Insert { get; }

    public string Find { get; }

    public string ListAll { get; }

    public string ListTenant { get; }

    public string Revoke { get; }

    public string RecordUse { get; }
}
