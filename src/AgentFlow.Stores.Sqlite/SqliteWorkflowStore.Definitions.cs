using System.Runtime.CompilerServices;
using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string DefinitionColumns = "workflow_id, version, format, source, content_hash, created_at";

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

            var stored = new StoredDefinition(workflowId, latest.Count > 0 ? latest[0].Version + 1 : 1, format, source, hash, _time.GetUtcNow());
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
    public ValueTask<bool> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new(_writer.EnqueueAsync(c => c.Execute("DELETE FROM definitions WHERE workflow_id = $wf", ("$wf", workflowId)) > 0, cancellationToken));
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
