using System.Globalization;
using System.Runtime.CompilerServices;
using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string DefinitionColumns = "workflow_id, version, format, source, content_hash, created_at";

    // The statuses of executions that may still append (and resume, which reloads their definition).
    private const string UnfinishedStatuses = "'running', 'cancelling', 'paused'";

    /// <inheritdoc />
    public ValueTask<DefinitionSaveResult> SaveDefinitionAsync(string workflowId, string format, string source, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateDefinition(workflowId, format, source);
        var hash = DefinitionHash.Compute(source);
        return new(_writer.EnqueueAsync(c =>
        {
            var latest = LoadDefinitions(c, $"SELECT {DefinitionColumns} FROM definitions WHERE workflow_id = $wf ORDER BY version DESC LIMIT 1", ("$wf", workflowId));
            if (latest.Count > 0 && latest[0].ContentHash == hash && latest[0].Format == format)
            {
                return new DefinitionSaveResult(latest[0], Created: false);
            }

            var next = latest.Count > 0
                ? latest[0].Version + 1
                : Convert.ToInt32(c.Scalar("SELECT last_version FROM definition_deletions WHERE workflow_id = $wf", ("$wf", workflowId)) ?? 0L, CultureInfo.InvariantCulture) + 1;
            var stored = new StoredDefinition(workflowId, next, format, source, hash, _time.GetUtcNow());
            c.Execute(
                $"INSERT INTO definitions ({DefinitionColumns}) VALUES ($wf, $v, $format, $source, $hash, $at)",
                ("$wf", workflowId),
                ("$v", stored.Version),
                ("$format", format),
                ("$source", source),
                ("$hash", hash),
                ("$at", stored.CreatedAt.UtcTicks));
            return new DefinitionSaveResult(stored, Created: true);
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<StoredDefinition?> GetLatestDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        return new(Read(c => LoadDefinitions(c, $"SELECT {DefinitionColumns} FROM definitions WHERE workflow_id = $wf ORDER BY version DESC LIMIT 1", ("$wf", workflowId)).FirstOrDefault()));
    }

    /// <inheritdoc />
    public ValueTask<StoredDefinition?> GetDefinitionAsync(string workflowId, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        return new(Read(c => LoadDefinitions(c, $"SELECT {DefinitionColumns} FROM definitions WHERE workflow_id = $wf AND version = $v", ("$wf", workflowId), ("$v", version)).FirstOrDefault()));
    }

    /// <inheritdoc />
    /// <remarks>
    /// One write transaction of the single writer (and SQLite's file lock against other processes) holds the check and
    /// the delete, and the first append of every execution checks for a deletion in its own write transaction.
    /// </remarks>
    public ValueTask<DefinitionDeleteResult> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new(_writer.EnqueueAsync(c =>
        {
            if (c.Scalar("SELECT MAX(version) FROM definitions WHERE workflow_id = $wf", ("$wf", workflowId)) is not long last)
            {
                return DefinitionDeleteResult.NotFound;
            }

            if (c.Scalar($"SELECT execution_id FROM executions WHERE status IN ({UnfinishedStatuses}) AND workflow_id = $wf LIMIT 1", ("$wf", workflowId)) is string user)
            {
                return DefinitionDeleteResult.InUse(user);
            }

            c.Execute("DELETE FROM definitions WHERE workflow_id = $wf", ("$wf", workflowId));
            c.Execute(
                """
                INSERT INTO definition_deletions (workflow_id, last_version, deleted_at) VALUES ($wf, $v, $at)
                ON CONFLICT (workflow_id) DO UPDATE SET last_version = excluded.last_version, deleted_at = excluded.deleted_at
                """,
                ("$wf", workflowId),
                ("$v", last),
                ("$at", _time.GetUtcNow().UtcTicks));
            return DefinitionDeleteResult.Deleted((int)last);
        }, cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDefinition> ListDefinitionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var latest = Read(c => LoadDefinitions(
            c,
            $"SELECT {DefinitionColumns} FROM definitions d WHERE version = (SELECT MAX(version) FROM definitions x WHERE x.workflow_id = d.workflow_id) ORDER BY workflow_id"));
        foreach (var definition in latest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return definition;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses an append that starts (or re-opens, by a retry) an execution of a deleted version; runs in the append's
    /// write transaction.
    /// </summary>
    private static void CheckStartable(SqliteSession c, ExecutionRecord? previous, ExecutionRecord row)
    {
        if (DefinitionDeletion.NeedsDefinition(previous, row)
            && c.Scalar(
                """
                SELECT 1 FROM definition_deletions d WHERE d.workflow_id = $wf AND d.last_version >= $v
                AND NOT EXISTS (SELECT 1 FROM definitions x WHERE x.workflow_id = $wf AND x.version = $v)
                """,
                ("$wf", row.WorkflowId),
                ("$v", row.WorkflowVersion)) is not null)
        {
            throw new WorkflowDeletedException(row.ExecutionId, row.WorkflowId, row.WorkflowVersion);
        }
    }

    private static List<StoredDefinition> LoadDefinitions(SqliteSession c, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = c.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var definitions = new List<StoredDefinition>();
        while (reader.Read())
        {
            definitions.Add(new StoredDefinition(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), SqliteCommands.Time(reader.GetInt64(5))));
        }

        return definitions;
    }
}
