using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore
{

    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsPoolExhausted(ex))
        {
            throw PostgresErrors.PoolExhausted(_endpoint, ex);
        }
        catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
        {
            throw PostgresErrors.CannotConnect(_endpoint, ex);
        }
    }

    /// <summary>Runs <paramref name="body"/> on a pooled connection, translating driver failures.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await body(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
        {
            throw PostgresErrors.Operation(operation, ex);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>A command with positional parameters <c>$1</c>, <c>$2</c>, … in order (null becomes SQL NULL).</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private NpgsqlBatch AppendBatch(NpgsqlConnection connection, ExecutionRecord row, long[] sequences, string[] payloads, bool notifyRunnable, bool commit, Fence? fence)
    {
        var batch = new NpgsqlBatch(connection);
        AddFence(batch, fence);
        batch.BatchCommands.Add(BatchCommand(_sql.InsertEvents, row.ExecutionId, sequences, payloads));
        batch.BatchCommands.Add(BatchCommand(
            _sql.UpsertExecution,
            row.ExecutionId,
            row.WorkflowId,
            row.WorkflowVersion,
            ExecutionStatusNames.Format(row.Status),
            row.CreatedAt.UtcTicks,
            row.UpdatedAt.UtcTicks,
            row.FinishedAt?.UtcTicks,
            row.ParentExecutionId,
            row.LastSequence));
        if (notifyRunnable)
        {
            batch.BatchCommands.Add(BatchCommand(_sql.AnnounceRunnable, _sql.RunnableChannel, row.ExecutionId));
        }

        if (commit)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        }

        return batch;
    }

    /// <summary>
    /// Puts the lease check first in a batch: it fails the batch's transaction (division by zero, the one error a
    /// plain statement can raise on demand without a server-side function) when the owner no longer holds the lease.
    /// </summary>
    private void AddFence(NpgsqlBatch batch, Fence? fence)
    {
        if (fence is not null)
        {
            batch.BatchCommands.Add(BatchCommand(_sql.CheckLease, fence.LeaseExecutionId, fence.OwnerId));
        }
    }

    /// <summary>
    /// Locks the index row, checks the expected sequence and appends: two round trips, the first opening the
    /// transaction and the second committing it, so a lost race costs no write.
    /// </summary>
    /// <returns>The execution's workflow id.</returns>
    private async Task<string> AppendToExistingAsync(NpgsqlConnection connection, long expectedSequence, IReadOnlyList<ExecutionEvent> events, long[] sequences, string[] payloads, Fence? fence, CancellationToken cancellationToken)
    {
        var executionId = events[0].ExecutionId;
        try
        {
            ExecutionRecord? current = null;
            await using (var open = new NpgsqlBatch(connection))
            {
                open.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                AddFence(open, fence);
                open.BatchCommands.Add(BatchCommand(_sql.LockExecution, executionId));
                await using var reader = await open.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (fence is not null)
                {
                    // Past the lease check's one row to the locked index row.
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    current = PostgresRows.ReadExecution(reader);
                }
            }

            var actual = current?.LastSequence ?? 0;
            if (current is null || actual != expectedSequence)
            {
                throw new EventStoreConcurrencyException(executionId, expectedSequence, actual);
            }

            var next = ExecutionIndexProjection.Apply(current, events);
            await using var append = AppendBatch(connection, next, sequences, payloads, notifyRunnable: false, commit: true, fence: null);
            await ExecuteCheckedAsync(append, current, next, cancellationToken).ConfigureAwait(false);
            return current.WorkflowId;
        }
        catch
        {
            await RollBackQuietlyAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Appends a batch that only moves the index row's last sequence and update time: one statement, one round trip,
    /// the sequence check and both writes atomic in it.
    /// </summary>
    private async Task AppendNeutralAsync(NpgsqlConnection connection, long expectedSequence, IReadOnlyList<ExecutionEvent> events, long[] sequences, string[] payloads, Fence? fence, CancellationToken cancellationToken)
    {
        var executionId = events[0].ExecutionId;
        var last = events[^1];
        await using var batch = new NpgsqlBatch(connection);
        AddFence(batch, fence);
        var append = BatchCommand(_sql.AppendNeutral, executionId, sequences, payloads, last.Timestamp.UtcTicks, last.Sequence, expectedSequence);
        batch.BatchCommands.Add(append);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (append.RecordsAffected == 0)
        {
            throw new EventStoreConcurrencyException(executionId, expectedSequence, await LastSequenceAsync(connection, executionId, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Announces a committed append on the appended channel, in a transaction of its own (see
    /// <see cref="PostgresSql.AnnounceAppended"/>): sent only once the append has committed, so a listener woken by it
    /// reads the events. A failure here loses only the hint (streams' safety poll covers it), never the append.
    /// </summary>
    private async Task AnnounceAppendedAsync(NpgsqlConnection connection, string executionId, string? workflowId)
    {
        await using var announce = workflowId is null
            ? Command(connection, _sql.AnnounceAppendedOf, _sql.AppendedChannel, executionId)
            : Command(connection, _sql.AnnounceAppended, _sql.AppendedChannel, executionId, workflowId);
        try
        {
            // Not the caller's token: the append has committed, so cancelling now would only misreport it.
            await announce.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
        {
            // The append is durable; its announcement is only a hint.
        }
    }

    private async Task<long> LastSequenceAsync(NpgsqlConnection connection, string executionId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, _sql.LastSequence, executionId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    // Ends a transaction a failed append left open, so the pooled connection goes back clean; when the connection
    // itself broke there is nothing to roll back (the server already did), so that failure is ignored.
    private static async Task RollBackQuietlyAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
        {
            // The connection is broken; the server has discarded the transaction.
        }
    }

    /// <summary>The lease a leased append is checked against.</summary>
    private sealed record Fence(string LeaseExecutionId, string OwnerId);
}
