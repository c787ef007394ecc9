using System.Text.RegularExpressions;
using AgentFlow.Stores.Postgres.Schema;

namespace AgentFlow.Stores.Postgres;

/// <summary>
/// The store's statements, built once for its schema. Values are always parameters; only the schema name, checked
/// against a strict pattern, is spliced in.
/// </summary>
internal sealed partial class PostgresSql
{
    /// <summary>The columns <see cref="PostgresRows.ReadExecution"/> reads, in order.</summary>
    public const string ExecutionColumns =
        "execution_id, workflow_id, workflow_version, status, created_at, updated_at, finished_at, parent_execution_id, labels::text, last_sequence";

    public PostgresSql(string schema)
    {
        ValidateSchema(schema);
        var s = PostgresMigrations.QuoteIdentifier(schema);
        RunnableChannel = schema + ".runnable";
        SignalsChannel = schema + ".signals";
        TimersChannel = schema + ".timers";
        AppendedChannel = schema + ".appended";

        LockExecution = $"SELECT {ExecutionColumns} FROM {s}.executions WHERE execution_id = $1 FOR UPDATE";
        InsertEvents = $"INSERT INTO {s}.events (execution_id, sequence, payload) SELECT $1, * FROM unnest($2::bigint[], $3::text[])";
        UpsertExecution = $"""
            INSERT INTO {s}.executions (execution_id, workflow_id, workflow_version, status, created_at, updated_at, finished_at, parent_execution_id, last_sequence)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (execution_id) DO UPDATE SET workflow_id = excluded.workflow_id, workflow_version = excluded.workflow_version,
                status = excluded.status, updated_at = excluded.updated_at, finished_at = excluded.finished_at,
                parent_execution_id = excluded.parent_execution_id, last_sequence = excluded.last_sequence
            """;
        // Gated on the expected sequence: a concurrent appender that committed first makes the UPDATE match no row
        // (it re-checks after waiting for the row lock), and then no event is inserted either.
        AppendNeutral = $"""
            WITH moved AS (
                UPDATE {s}.executions SET updated_at = $4, last_sequence = $5
                WHERE execution_id = $1 AND last_sequence = $6
                RETURNING execution_id)
            INSERT INTO {s}.events (execution_id, sequence, payload)
            SELECT $1, * FROM unnest($2::bigint[], $3::text[]) WHERE EXISTS (SELECT 1 FROM moved)
            """;

        AnnounceRunnable = $"SELECT pg_notify($1, CASE WHEN octet_length($2::text) < 8000 THEN $2::text ELSE '' END)";

        // Its own transaction, after the append's commit, with asynchronous commit: PostgreSQL holds one lock across
        // every notifying commit until it ends, so a NOTIFY inside the append would serialize the appends' WAL flushes
        // (measured: 3x slower with fsync on). A NOTIFY payload must stay under 8000 bytes: ids too long to name go out
        // empty ("unknown, look again").
        const string Notify = "SELECT pg_notify($1, CASE WHEN octet_length(p) < 8000 THEN p ELSE '' END) FROM (SELECT set_config('synchronous_commit', 'off', true), json_build_array";
        AnnounceAppended = $"{Notify}($2::text, $3::text)::text AS p) announced";

        // For an append that did not read the index row: the workflow id comes from it here.
        AnnounceAppendedOf = $"{Notify}(execution_id, workflow_id)::text AS p FROM {s}.executions WHERE execution_id = $2) announced";
        LastSequence = $"SELECT coalesce((SELECT last_sequence FROM {s}.executions WHERE execution_id = $1), 0)";
        ReadEvents = $"SELECT payload FROM {s}.events WHERE execution_id = $1 AND sequence >= $2 ORDER BY sequence";
        ListExecutions = $"SELECT {ExecutionColumns} FROM {s}.executions WHERE (created_at, execution_id) > ($1, $2) ORDER BY created_at, execution_id LIMIT $3";

        GetExecution = $"SELECT {ExecutionColumns} FROM {s}.executions WHERE execution_id = $1";
        QueryExecutions = $"SELECT {ExecutionColumns} FROM {s}.executions WHERE ";
        SetLabels = $"UPDATE {s}.executions SET labels = labels || $2::jsonb WHERE execution_id = $1";

        // Inserts the next version unless the latest has the same text; a concurrent save of the same workflow makes
        // this fail on the primary key, and the caller retries against the new latest.
        SaveDefinition = $"""
            WITH latest AS (
                SELECT workflow_id, version, format, source, content_hash, created_at FROM {s}.definitions
                WHERE workflow_id = $1 ORDER BY version DESC LIMIT 1),
            inserted AS (
                INSERT INTO {s}.definitions (workflow_id, version, format, source, content_hash, created_at)
                SELECT $1, coalesce((SELECT version FROM latest), (SELECT last_version FROM {s}.definition_deletions WHERE workflow_id = $1), 0) + 1, $2, $3, $4, $5
                WHERE NOT EXISTS (SELECT 1 FROM latest WHERE format = $2 AND content_hash = $4)
                RETURNING workflow_id, version, format, source, content_hash, created_at)
            SELECT *, true FROM inserted
            UNION ALL SELECT *, false FROM latest WHERE format = $2 AND content_hash = $4
            """;
        LatestDefinition = $"SELECT workflow_id, version, format, source, content_hash, created_at FROM {s}.definitions WHERE workflow_id = $1 ORDER BY version DESC LIMIT 1";
        GetDefinition = $"SELECT workflow_id, version, format, source, content_hash, created_at FROM {s}.definitions WHERE workflow_id = $1 AND version = $2";
        // Runs after the exclusive advisory lock of the workflow (see DefinitionLock) in the same transaction, so it
        // sees every start that committed before, and no start can commit in between (check_startable waits for it).
        DeleteDefinition = $"""
            WITH latest AS (SELECT max(version) AS version FROM {s}.definitions WHERE workflow_id = $1),
            user_of AS (
                SELECT execution_id FROM {s}.executions
                WHERE workflow_id = $1 AND status IN ('running', 'cancelling', 'paused') LIMIT 1),
            gone AS (
                DELETE FROM {s}.definitions WHERE workflow_id = $1 AND NOT EXISTS (SELECT 1 FROM user_of)
                RETURNING version),
            marked AS (
                INSERT INTO {s}.definition_deletions (workflow_id, last_version, deleted_at)
                SELECT $1, max(version), $2 FROM gone HAVING count(*) > 0
                ON CONFLICT (workflow_id) DO UPDATE SET last_version = excluded.last_version, deleted_at = excluded.deleted_at
                RETURNING last_version)
            SELECT (SELECT version FROM latest), (SELECT execution_id FROM user_of), (SELECT last_version FROM marked)
            """;
        DefinitionLock = "SELECT pg_advisory_xact_lock($1)";
        CheckStartable = $"SELECT {s}.check_startable($1, $2, $3)";
        ListDefinitions = $"""
            SELECT DISTINCT ON (workflow_id) workflow_id, version, format, source, content_hash, created_at
            FROM {s}.definitions WHERE workflow_id > $1 ORDER BY workflow_id, version DESC LIMIT $2
            """;

        ScheduleTimer = $"""
            WITH armed AS (
                INSERT INTO {s}.timers (execution_id, timer_id, due_at) VALUES ($1, $2, $3)
                ON CONFLICT (execution_id, timer_id) DO UPDATE SET due_at = excluded.due_at, claimed_by = NULL, claimed_until = NULL
                RETURNING execution_id)
            SELECT pg_notify($4, execution_id) FROM armed
            """;
        DeleteTimer = $"DELETE FROM {s}.timers WHERE execution_id = $1 AND timer_id = $2";

        // SKIP LOCKED lets concurrent claimers pass over each other's rows; a row another claimer committed meanwhile
        // is re-checked by FOR UPDATE against its new claim, so it is never handed out twice.
        ClaimTimers = $"""
            WITH due AS (
                SELECT execution_id, timer_id FROM {s}.timers
                WHERE due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
                ORDER BY due_at, execution_id, timer_id LIMIT $2
                FOR UPDATE SKIP LOCKED)
            UPDATE {s}.timers t SET claimed_by = $3, claimed_until = $4
            FROM due WHERE t.execution_id = due.execution_id AND t.timer_id = due.timer_id
            RETURNING t.execution_id, t.timer_id, t.due_at
            """;

        SendSignal = $"""
            WITH accepted AS (
                INSERT INTO {s}.signals (execution_id, name, payload, deduplication_id, sent_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (execution_id, deduplication_id) WHERE deduplication_id IS NOT NULL DO NOTHING
                RETURNING signal_id, execution_id)
            SELECT signal_id, pg_notify($6, execution_id) FROM accepted
            """;
        FindSignal = $"SELECT signal_id, execution_id, name, payload, deduplication_id, sent_at FROM {s}.signals WHERE execution_id = $1 AND deduplication_id = $2";
        PendingSignals = $"SELECT signal_id, execution_id, name, payload, deduplication_id, sent_at FROM {s}.signals WHERE execution_id = $1 AND NOT delivered ORDER BY signal_id";
        PendingSignalsOf = $"SELECT signal_id, execution_id, name, payload, deduplication_id, sent_at FROM {s}.signals WHERE execution_id = ANY($1) AND NOT delivered ORDER BY signal_id";
        NextTimerDue = $"SELECT due_at FROM {s}.timers WHERE claimed_until IS NULL OR claimed_until <= $1 ORDER BY due_at LIMIT 1";
        MarkDelivered = $"UPDATE {s}.signals SET delivered = true WHERE execution_id = $1 AND signal_id = $2 AND NOT delivered";

        // The WHERE of the upsert runs against the latest committed lease row under its lock: it is what makes
        // acquiring and claiming atomic between processes.
        AcquireLease = $"""
            INSERT INTO {s}.leases AS l (execution_id, owner_id, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (execution_id) DO UPDATE SET owner_id = excluded.owner_id, expires_at = excluded.expires_at
            WHERE l.owner_id = excluded.owner_id OR l.expires_at <= $4
            RETURNING expires_at
            """;
        // Raises division by zero, failing the whole batch, unless the owner's lease row is there; FOR SHARE holds the
        // row until the append commits, so a claim cannot slip in between the check and the write.
        CheckLease = $"SELECT 1 / (SELECT count(*)::int FROM (SELECT 1 FROM {s}.leases WHERE execution_id = $1 AND owner_id = $2 FOR SHARE) held)";
        RenewLeases = $"UPDATE {s}.leases SET expires_at = $3 WHERE execution_id = ANY($1) AND owner_id = $2 RETURNING execution_id";
        RenewLease = $"UPDATE {s}.leases SET expires_at = $3 WHERE execution_id = $1 AND owner_id = $2 RETURNING expires_at";
        ReleaseLease = $"""
            WITH released AS (DELETE FROM {s}.leases WHERE execution_id = $1 AND owner_id = $2 RETURNING execution_id)
            SELECT r.execution_id,
                   (SELECT pg_notify($3, r.execution_id) FROM {s}.executions e WHERE e.execution_id = r.execution_id AND e.status IN ('running', 'cancelling'))
            FROM released r
            """;
        ClaimRunnable = $"""
            WITH candidates AS (
                SELECT e.execution_id, e.created_at FROM {s}.executions e
                LEFT JOIN {s}.leases l ON l.execution_id = e.execution_id
                WHERE e.status IN ('running', 'cancelling') AND (l.execution_id IS NULL OR l.expires_at <= $1)
                ORDER BY e.created_at, e.execution_id LIMIT $2
                FOR UPDATE OF e SKIP LOCKED),
            claimed AS (
                INSERT INTO {s}.leases AS l (execution_id, owner_id, expires_at) SELECT execution_id, $3, $4 FROM candidates
                ON CONFLICT (execution_id) DO UPDATE SET owner_id = excluded.owner_id, expires_at = excluded.expires_at
                WHERE l.expires_at <= $1
                RETURNING execution_id)
            SELECT c.execution_id FROM claimed JOIN candidates c USING (execution_id) ORDER BY c.created_at, c.execution_id
            """;
    }

    public string RunnableChannel { get; }

    public string SignalsChannel { get; }

    public string TimersChannel { get; }

    /// <summary>Appends, one notification per append: <c>["executionId", "workflowId"]</c>, or empty when too long.</summary>
    public string AppendedChannel { get; }

    /// <summary>Announces a new log on <see cref="RunnableChannel"/>: its execution id, or empty when too long to name.</summary>
    public string AnnounceRunnable { get; }

    public string AnnounceAppended { get; }

    public string AnnounceAppendedOf { get; }

    public string LockExecution { get; }

    public string InsertEvents { get; }

    public string UpsertExecution { get; }

    public string AppendNeutral { get; }

    public string LastSequence { get; }

    public string ReadEvents { get; }

    public string ListExecutions { get; }

    public string GetExecution { get; }

    public string QueryExecutions { get; }

    public string SetLabels { get; }

    public string SaveDefinition { get; }

    public string LatestDefinition { get; }

    public string GetDefinition { get; }

    public string ListDefinitions { get; }

    public string DeleteDefinition { get; }

    public string DefinitionLock { get; }

    public string CheckStartable { get; }

    public string ScheduleTimer { get; }

    public string DeleteTimer { get; }

    public string ClaimTimers { get; }

    public string SendSignal { get; }

    public string FindSignal { get; }

    public string PendingSignals { get; }

    public string MarkDelivered { get; }

    public string PendingSignalsOf { get; }

    public string NextTimerDue { get; }

    public string AcquireLease { get; }

    public string RenewLease { get; }

    public string RenewLeases { get; }

    public string CheckLease { get; }

    public string ReleaseLease { get; }

    public string ClaimRunnable { get; }

    /// <summary>Rejects schema names that would need quoting or could not prefix a notification channel.</summary>
    /// <exception cref="ArgumentException">The name is not 1 to 40 lowercase letters, digits or underscores, starting with a letter or underscore.</exception>
    public static void ValidateSchema(string schema)
    {
        if (schema is null || !SchemaPattern().IsMatch(schema))
        {
            throw new ArgumentException($"PostgreSQL schema '{schema}' is not valid: use 1 to 40 lowercase letters, digits or underscores, starting with a letter or underscore.", nameof(schema));
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();
}
