namespace AgentFlow.Stores.Sqlite;

/// <summary>
/// The schema, as ordered migrations. The database's <c>PRAGMA user_version</c> is the number of migrations applied;
/// a migration is never edited once shipped, only followed by a new one. The SQL sticks to what PostgreSQL also
/// accepts (upserts, RETURNING, integer ticks for times) so the PostgreSQL store can mirror it.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Marks the file as ours (<c>PRAGMA application_id</c>, "AFLW").</summary>
    public const int ApplicationId = 0x41464C57;

    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE events (
            execution_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (execution_id, sequence)) WITHOUT ROWID;
        CREATE TABLE executions (
            execution_id TEXT NOT NULL PRIMARY KEY,
            workflow_id TEXT NOT NULL,
            workflow_version INTEGER NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            finished_at INTEGER NULL,
            parent_execution_id TEXT NULL,
            last_sequence INTEGER NOT NULL,
            labels TEXT NOT NULL);
        CREATE INDEX executions_by_created ON executions (created_at DESC, execution_id DESC);
        CREATE INDEX executions_by_status ON executions (status, created_at, execution_id);
        CREATE INDEX executions_by_parent ON executions (parent_execution_id);
        CREATE TABLE execution_labels (
            execution_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (execution_id, key)) WITHOUT ROWID;
        CREATE INDEX execution_labels_by_pair ON execution_labels (key, value);
        CREATE TABLE definitions (
            workflow_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            format TEXT NOT NULL,
            source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (workflow_id, version));
        CREATE TABLE timers (
            execution_id TEXT NOT NULL,
            timer_id TEXT NOT NULL,
            due_at INTEGER NOT NULL,
            claimed_by TEXT NULL,
            claim_expires_at INTEGER NULL,
            PRIMARY KEY (execution_id, timer_id)) WITHOUT ROWID;
        CREATE INDEX timers_by_due ON timers (due_at);
        CREATE TABLE signals (
            signal_id INTEGER PRIMARY KEY AUTOINCREMENT,
            execution_id TEXT NOT NULL,
            name TEXT NOT NULL,
            payload TEXT NOT NULL,
            dedup_id TEXT NULL,
            sent_at INTEGER NOT NULL,
            delivered_at INTEGER NULL);
        CREATE UNIQUE INDEX signals_by_dedup ON signals (execution_id, dedup_id);
        CREATE INDEX signals_pending ON signals (execution_id, delivered_at, signal_id);
        CREATE TABLE leases (
            execution_id TEXT NOT NULL PRIMARY KEY,
            owner_id TEXT NOT NULL,
            expires_at INTEGER NOT NULL) WITHOUT ROWID;
        """,
        """
        CREATE TABLE api_keys (
            prefix TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NULL,
            scopes TEXT NOT NULL,
            secret_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NULL,
            last_used_at INTEGER NULL,
            revoked_at INTEGER NULL) WITHOUT ROWID;
        CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, created_at, prefix);
        """,
        """
        CREATE TABLE definition_deletions (
            workflow_id TEXT NOT NULL PRIMARY KEY,
            last_version INTEGER NOT NULL,
            deleted_at INTEGER NOT NULL) WITHOUT ROWID;
        """,
    ];

    /// <summary>The newest schema this build knows.</summary>
    public static int Version => Migrations.Count;
}
