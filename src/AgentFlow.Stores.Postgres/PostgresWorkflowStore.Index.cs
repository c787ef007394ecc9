using System.Text;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <inheritdoc />
    public ValueTask<ExecutionRecord?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        return new(RunAsync("read an execution", async connection =>
        {
            await using var command = Command(connection, _sql.GetExecution, executionId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresRows.ReadExecution(reader) : null;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<ExecutionPage> QueryExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var after = StoreArguments.ValidateQuery(query);
        return new(RunAsync("query executions", async connection =>
        {
            await using var command = BuildQuery(connection, query, after);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<ExecutionRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(PostgresRows.ReadExecution(reader));
            }

            // One row more than the page was read to know whether another page follows.
            if (rows.Count <= query.PageSize)
            {
                return new ExecutionPage(rows, null);
            }

            rows.RemoveAt(rows.Count - 1);
            return new ExecutionPage(rows, PageToken.Encode(rows[^1].CreatedAt, rows[^1].ExecutionId));
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> SetLabelsAsync(string executionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentNullException.ThrowIfNull(labels);
        var json = PostgresRows.WriteLabels(labels);
        return new(RunAsync("set labels", async connection =>
        {
            await using var command = Command(connection, _sql.SetLabels, executionId, json);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken));
    }

    private NpgsqlCommand BuildQuery(NpgsqlConnection connection, ExecutionQuery query, (long CreatedTicks, string ExecutionId)? after)
    {
        var sql = new StringBuilder(_sql.QueryExecutions).Append("true");
        var command = new NpgsqlCommand { Connection = connection };

        // Each filter adds its own positional parameter, so the statement stays fully parameterized.
        void Filter(string condition, object value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            sql.Append(" AND ").Append(condition.Replace("{p}", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            Filter("status = ANY({p})", statuses.Select(ExecutionStatusNames.Format).ToArray());
        }

        if (query.WorkflowId is not null)
        {
            Filter("workflow_id = {p}", query.WorkflowId);
        }

        if (query.CreatedFrom is { } from)
        {
            Filter("created_at >= {p}", from.UtcTicks);
        }

        if (query.CreatedBefore is { } before)
        {
            Filter("created_at < {p}", before.UtcTicks);
        }

        if (query.ParentExecutionId is not null)
        {
            Filter("parent_execution_id = {p}", query.ParentExecutionId);
        }

        if (query.Labels is { Count: > 0 } labels)
        {
            Filter("labels @> {p}::jsonb", PostgresRows.WriteLabels(labels));
        }

        if (after is { } position)
        {
            Filter("created_at <= {p}", position.CreatedTicks);
            Filter("(created_at, execution_id) < (" + "$" + command.Parameters.Count + ", {p})", position.ExecutionId);
        }

        sql.Append(" ORDER BY created_at DESC, execution_id DESC LIMIT ").Append(query.PageSize + 1);
        command.CommandText = sql.ToString();
        return command;
    }
}
