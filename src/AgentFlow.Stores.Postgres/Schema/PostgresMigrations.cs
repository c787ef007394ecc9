using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres.Schema;

/// <summary>
/// Brings a schema up to the version this build knows, in one transaction serialized by an advisory lock, so several
/// processes starting at once neither race to create tables nor apply a step twice.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Steps.Count;

    // Times are bigint UTC ticks (100 ns): exact round trips of the events' timestamps, and compared against the
    // injected clock's ticks passed as parameters, never the server's clock. Ids use the "C" collation so ordering
    // is ordinal, as in the other stores.
    private static readonly IReadOnlyList<(string Description, string Sql)> Steps =
    [
        ("event logs, execution index, definitions, timers, signals, leases", """
            CREATE TABLE {0}.executions (
                execution_id        text COLLATE "C" PRIMARY KEY,
                workflow_id         text COLLATE "C" NOT NULL,
                workflow_version    integer NOT NULL,
                status              text NOT NULL,
                created_at          bigint NOT NULL,
                updated_at          bigint NOT NULL,
                finished_at         bigint,
                parent_execution_id text COLLATE "C",
                labels              jsonb NOT NULL DEFAULT '{{}}',
                last_sequence       bigint NOT NULL);
            CREATE INDEX executions_created ON {0}.executions (created_at DESC, execution_id DESC);
            CREATE INDEX executions_workflow ON {0}.executions (workflow_id, created_at DESC, execution_id DESC);
            CREATE INDEX executions_parent ON {0}.executions (parent_execution_id) WHERE parent_execution_id IS NOT NULL;
            CREATE INDEX executions_runnable ON {0}.executions (created_at, execution_id) WHERE status IN ('running', 'cancelling');
            CREATE INDEX executions_labels ON {0}.executions USING gin (labels jsonb_path_ops);

            -- The payload is the serializer's text byte for byte (jsonb would reorder keys and break golden logs).
            CREATE TABLE {0}.events (
                execution_id text COLLATE "C" NOT NULL,
                sequence     bigint NOT NULL,
                payload      text NOT NULL,
                PRIMARY KEY (execution_id, sequence));

            CREATE TABLE {0}.definitions (
                workflow_id  text COLLATE "C" NOT NULL,
                version      integer NOT NULL,
                format       text NOT NULL,
                source       text NOT NULL,
                content_hash text NOT NULL,
                created_at   bigint NOT NULL,
                PRIMARY KEY (workflow_id, version));

            CREATE TABLE {0}.timers (
                execution_id  text COLLATE "C" NOT NULL,
                timer_id      text COLLATE "C" NOT NULL,
                due_at        bigint NOT NULL,
                claimed_by    text,
                claimed_until bigint,
                PRIMARY KEY (execution_id, timer_id));
            CREATE INDEX timers_due ON {0}.timers (due_at, execution_id, timer_id);

            CREATE TABLE {0}.signals (
                signal_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                execution_id     text COLLATE "C" NOT NULL,
                name             text NOT NULL,
                payload          text NOT NULL,
                deduplication_id text COLLATE "C",
                sent_at          bigint NOT NULL,
                delivered        boolean NOT NULL DEFAULT false);
            CREATE UNIQUE INDEX signals_dedup ON {0}.signals (execution_id, deduplication_id) WHERE deduplication_id IS NOT NULL;
            CREATE INDEX signals_pending ON {0}.signals (execution_id, signal_id) WHERE NOT delivered;

            CREATE TABLE {0}.leases (
                execution_id text COLLATE "C" PRIMARY KEY,
                owner_id     text COLLATE "C" NOT NULL,
                expires_at   bigint NOT NULL);
            """),
        ("API keys (hashed), per tenant", """
            CREATE TABLE {0}.api_keys (
                prefix       text COLLATE "C" PRIMARY KEY,
                tenant_id    text COLLATE "C" NOT NULL,
                name         text,
                scopes       text NOT NULL,
                secret_hash  text NOT NULL,
                created_at   bigint NOT NULL,
                expires_at   bigint,
                last_used_at bigint,
                revoked_at   bigint);
            CREATE INDEX api_keys_tenant ON {0}.api_keys (tenant_id, created_at, prefix);
            """),
        ("deleted workflows: version numbering continues, starts of deleted versions fail", """
            CREATE TABLE {0}.definition_deletions (
                workflow_id  text COLLATE "C" PRIMARY KEY,
                last_version integer NOT NULL,
                deleted_at   bigint NOT NULL);

            -- Called by the first append of an execution, in its transaction. The shared advisory lock waits for a
            -- delete of the workflow in progress (which holds it exclusively) and keeps the next one out until the
            -- append commits; being VOLATILE, the check after it reads a fresh snapshot that includes that delete.
            CREATE FUNCTION {0}.check_startable(p_workflow text, p_version integer, p_lock bigint) RETURNS void
            LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock_shared(p_lock);
                IF EXISTS (SELECT 1 FROM {0}.definition_deletions d WHERE d.workflow_id = p_workflow AND d.last_version >= p_version)
                   AND NOT EXISTS (SELECT 1 FROM {0}.definitions x WHERE x.workflow_id = p_workflow AND x.version = p_version) THEN
                    RAISE EXCEPTION 'workflow % version % was deleted', p_workflow, p_version USING ERRCODE = 'AFW01';
                END IF;
            END
            $$;
            """),
    ];

    /// <summary>Creates the schema if needed and applies the missing steps; returns the version found before.</summary>
    /// <exception cref="StoreException">The schema was written by a newer build.</exception>
    public static async Task<int> MigrateAsync(NpgsqlConnection connection, string schema, long nowTicks, CancellationToken cancellationToken)
    {
        var quoted = QuoteIdentifier(schema);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey(schema)})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {quoted};
            CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (
                version     integer PRIMARY KEY,
                description text NOT NULL,
                applied_at  bigint NOT NULL);
            """, cancellationToken).ConfigureAwait(false);

        int found;
        await using (var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_migrations", connection, transaction))
        {
            found = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (found > LatestVersion)
        {
            throw new StoreException(StoreErrorKind.SchemaTooNew, $"PostgreSQL schema '{schema}' is at version {found} but this build knows up to {LatestVersion}; upgrade AgentFlow or use another schema");
        }

        for (var version = found + 1; version <= LatestVersion; version++)
        {
            var (description, sql) = Steps[version - 1];
            await ExecuteAsync(connection, transaction, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, quoted), cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand($"INSERT INTO {quoted}.schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)", connection, transaction);
            record.Parameters.Add(new() { Value = version });
            record.Parameters.Add(new() { Value = description });
            record.Parameters.Add(new() { Value = nowTicks });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Double-quotes an identifier already checked to be plain (see <see cref="PostgresSql.ValidateSchema"/>).</summary>
    public static string QuoteIdentifier(string name) => "\"" + name + "\"";

    // One advisory lock per schema, stable across processes and server versions (hashtext is neither documented nor
    // promised stable), so stores on different schemas of one database migrate independently.
    private static long LockKey(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("agentflow.migrations:" + schema)));

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
