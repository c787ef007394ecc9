using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Announces a newly accepted signal on <see cref="StoreChannel.Signals"/> in the same transaction. Signal ids
    /// come from a sequence, so two signals sent at the same instant by different processes are ordered by id, which
    /// may differ from their commit order.
    /// </remarks>
    public ValueTask<SignalSendResult> SendSignalAsync(string executionId, string name, string payloadJson, string? deduplicationId, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateSignal(executionId, name, payloadJson);
        var sentAt = _time.GetUtcNow();
        return new(RunAsync("send a signal", async connection =>
        {
            await using (var send = Command(connection, _sql.SendSignal, executionId, name, payloadJson, deduplicationId, sentAt.UtcTicks, _sql.SignalsChannel))
            {
                await using var reader = await send.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new SignalSendResult(new StoredSignal(reader.GetInt64(0), executionId, name, payloadJson, deduplicationId, sentAt), Duplicate: false);
                }
            }

            // Nothing inserted: the dedup id was taken, by a sender that has committed (the insert waited for it).
            await using var find = Command(connection, _sql.FindSignal, executionId, deduplicationId);
            await using var existing = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await existing.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new SignalSendResult(PostgresRows.ReadSignal(existing), Duplicate: true);
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        return new(ReadSignalsAsync(_sql.PendingSignals, executionId, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsOfAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        return executionIds.Count == 0 ? new([]) : new(ReadSignalsAsync(_sql.PendingSignalsOf, executionIds.ToArray(), cancellationToken));
    }

    private Task<IReadOnlyList<StoredSignal>> ReadSignalsAsync(string sql, object executionIds, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<StoredSignal>>("read signals", async connection =>
        {
            await using var command = Command(connection, sql, executionIds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var signals = new List<StoredSignal>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                signals.Add(PostgresRows.ReadSignal(reader));
            }

            return signals;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> MarkSignalDeliveredAsync(string executionId, long signalId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        return new(RunAsync("mark a signal delivered", async connection =>
        {
            await using var command = Command(connection, _sql.MarkDelivered, executionId, signalId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken));
    }
}
