using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string ExecutionColumns =
        "execution_id, workflow_id, workflow_version, status, created_at, updated_at, finished_at, parent_execution_id, labels, last_sequence";

    /// <inheritdoc />
    public ValueTask<ExecutionRecord?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return new(Read(c => LoadExecution(c, executionId)));
    }

    /// <inheritdoc />
    public ValueTask<ExecutionPage> QueryExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var after = StoreArguments.ValidateQuery(query);
        var sql = new StringBuilder($"SELECT {ExecutionColumns} FROM executions e WHERE 1 = 1");
        var parameters = new List<(string Name, object? Value)>();
        void Filter(string clause, params ReadOnlySpan<(string Name, object? Value)> values)
        {
            sql.Append(" AND ").Append(clause);
            parameters.AddRange(values);
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            var names = statuses.Distinct().Select((s, i) => ($"$s{i}", (object?)ExecutionStatusNames.Format(s))).ToList();
            Filter($"e.status IN ({string.Join(", ", names.Select(n => n.Item1))})", [.. names]);
        }

        if (query.WorkflowId is { } workflowId)
        {
            Filter("e.workflow_id = $wf", ("$wf", workflowId));
        }

        if (query.CreatedFrom is { } from)
        {
            Filter("e.created_at >= $from", ("$from", from.UtcTicks));
        }

        if (query.CreatedBefore is { } before)
        {
            Filter("e.created_at < $before", ("$before", before.UtcTicks));
        }

        if (query.ParentExecutionId is { } parent)
        {
            Filter("e.parent_execution_id = $parent", ("$parent", parent));
        }

        var labelIndex = 0;
        foreach (var (key, value) in query.Labels ?? ReadOnlyDictionary<string, string>.Empty)
        {
            Filter(
                $"EXISTS (SELECT 1 FROM execution_labels l WHERE l.execution_id = e.execution_id AND l.key = $lk{labelIndex} AND l.value = $lv{labelIndex})",
                ($"$lk{labelIndex}", key),
                ($"$lv{labelIndex}", value));
            labelIndex++;
        }

        if (after is { } position)
        {
            Filter("(e.created_at < $ac OR (e.created_at = $ac AND e.execution_id < $aid))", ("$ac", position.CreatedTicks), ("$aid", position.ExecutionId));
        }

        // One row more than the page tells whether a next page exists.
        sql.Append(" ORDER BY e.created_at DESC, e.execution_id DESC LIMIT ").Append((query.PageSize + 1).ToString(CultureInfo.InvariantCulture));
        var rows = Read(c =>
        {
            var command = c.Command(sql.ToString(), [.. parameters]);
            return ReadExecutions(command);
        });
        if (rows.Count <= query.PageSize)
        {
            return new(new ExecutionPage(rows, null));
        }

        rows.RemoveAt(rows.Count - 1);
        return new(new ExecutionPage(rows, PageToken.Encode(rows[^1].CreatedAt, rows[^1].ExecutionId)));
    }

    /// <inheritdoc />
    public ValueTask<bool> SetLabelsAsync(string executionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(labels);
        var copy = labels.ToDictionary(StringComparer.Ordinal);
        return new(_writer.EnqueueAsync(c =>
        {
            if (LoadExecution(c, executionId) is not { } row)
            {
                return false;
            }

            var merged = new Dictionary<string, string>(row.Labels, StringComparer.Ordinal);
            foreach (var (key, value) in copy)
            {
                merged[key] = value;
                c.Execute(
                    "INSERT INTO execution_labels (execution_id, key, value) VALUES ($id, $k, $v) ON CONFLICT (execution_id, key) DO UPDATE SET value = excluded.value",
                    ("$id", executionId),
                    ("$k", key),
                    ("$v", value));
            }

            c.Execute( "UPDATE executions SET labels = $labels WHERE execution_id = $id", ("$id", executionId), ("$labels", JsonSerializer.Serialize(merged, SqliteJsonContext.Default.DictionaryStringString)));
            return true;
        }, cancellationToken));
    }

    private static ExecutionRecord? LoadExecution(SqliteSession c, string executionId)
    {
        var command = c.Command($"SELECT {ExecutionColumns} FROM executions WHERE execution_id = $id", ("$id", executionId));
        var rows = ReadExecutions(command);
        return rows.Count == 0 ? null : rows[0];
    }

    private static List<ExecutionRecord> ReadExecutions(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<ExecutionRecord>();
        while (reader.Read())
        {
            // Most executions have no labels, and every append reads its row: skip the parser for them.
            var json = reader.GetString(8);
            IReadOnlyDictionary<string, string> labels = json == "{}"
                ? ReadOnlyDictionary<string, string>.Empty
                : JsonSerializer.Deserialize(json, SqliteJsonContext.Default.DictionaryStringString) ?? [];
            rows.Add(new ExecutionRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                ExecutionStatusNames.Parse(reader.GetString(3)),
                SqliteCommands.Time(reader.GetInt64(4)),
                SqliteCommands.Time(reader.GetInt64(5)),
                SqliteCommands.Time(reader, 6),
                SqliteCommands.String(reader, 7),
                labels,
                reader.GetInt64(9)));
        }

        return rows;
    }

    private static void SaveExecution(SqliteSession c, ExecutionRecord row, bool isNew)
    {
        const string Insert = """
            INSERT INTO executions (execution_id, workflow_id, workflow_version, status, created_at, updated_at, finished_at, parent_execution_id, labels, last_sequence)
            VALUES ($id, $wf, $wv, $status, $created, $updated, $finished, $parent, '{}', $last)
            """;
        const string Update = """
            UPDATE executions SET workflow_id = $wf, workflow_version = $wv, status = $status, created_at = $created, updated_at = $updated,
                finished_at = $finished, parent_execution_id = $parent, last_sequence = $last
            WHERE execution_id = $id
            """;
        c.Execute(
            isNew ? Insert : Update,
            ("$id", row.ExecutionId),
            ("$wf", row.WorkflowId),
            ("$wv", row.WorkflowVersion),
            ("$status", ExecutionStatusNames.Format(row.Status)),
            ("$created", row.CreatedAt.UtcTicks),
            ("$updated", row.UpdatedAt.UtcTicks),
            ("$finished", row.FinishedAt?.UtcTicks),
            ("$parent", row.ParentExecutionId),
            ("$last", row.LastSequence));
    }
}
