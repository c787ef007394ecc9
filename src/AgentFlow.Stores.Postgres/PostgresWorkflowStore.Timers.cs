using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <inheritdoc />
    /// <remarks>Announces the timer on <see cref="StoreChannel.Timers"/> in the same transaction.</remarks>
    public ValueTask ScheduleTimerAsync(DurableTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentException.ThrowIfNullOrEmpty(timer.ExecutionId);
        ArgumentException.ThrowIfNullOrEmpty(timer.TimerId);
        return new(RunAsync("schedule a timer", async connection =>
        {
            await using var command = Command(connection, _sql.ScheduleTimer, timer.ExecutionId, timer.TimerId, timer.DueAt.UtcTicks, _sql.TimersChannel);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteTimerAsync(string executionId, string timerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentException.ThrowIfNullOrEmpty(timerId);
        return new(RunAsync("delete a timer", async connection =>
        {
            await using var command = Command(connection, _sql.DeleteTimer, executionId, timerId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DurableTimer>> ClaimDueTimersAsync(string ownerId, int maxCount, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateClaim(ownerId, maxCount, claimFor);
        var now = _time.GetUtcNow();
        return new(RunAsync<IReadOnlyList<DurableTimer>>("claim due timers", async connection =>
        {
            await using var command = Command(connection, _sql.ClaimTimers, now.UtcTicks, maxCount, ownerId, (now + claimFor).UtcTicks);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var timers = new List<DurableTimer>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                timers.Add(new DurableTimer(reader.GetString(0), reader.GetString(1), PostgresRows.Time(reader.GetInt64(2))));
            }

            // RETURNING has no order; the contract hands out the earliest first.
            timers.Sort(static (a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt)
                : string.CompareOrdinal(a.ExecutionId, b.ExecutionId) is var byExecution and not 0 ? byExecution
                : string.CompareOrdinal(a.TimerId, b.TimerId));
            return timers;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return new(RunAsync("read the next timer", async connection =>
        {
            await using var command = Command(connection, _sql.NextTimerDue, now.UtcTicks);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long due ? PostgresRows.Time(due) : (DateTimeOffset?)null;
        }, cancellationToken));
    }
}
