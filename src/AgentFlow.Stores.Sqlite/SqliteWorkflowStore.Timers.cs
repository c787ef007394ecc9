using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    /// <inheritdoc />
    public ValueTask ScheduleTimerAsync(DurableTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentException.ThrowIfNullOrEmpty(timer.ExecutionId);
        ArgumentException.ThrowIfNullOrEmpty(timer.TimerId);
        return new(AnnounceAsync(_writer.EnqueueAsync(
            c => c.Execute(
                """
                INSERT INTO timers (execution_id, timer_id, due_at, claimed_by, claim_expires_at) VALUES ($e, $t, $due, NULL, NULL)
                ON CONFLICT (execution_id, timer_id) DO UPDATE SET due_at = excluded.due_at, claimed_by = NULL, claim_expires_at = NULL
                """,
                ("$e", timer.ExecutionId),
                ("$t", timer.TimerId),
                ("$due", timer.DueAt.UtcTicks)),
            cancellationToken), StoreChannel.Timers, timer.ExecutionId, _ => true));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteTimerAsync(string executionId, string timerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(timerId);
        return new(_writer.EnqueueAsync(
            c => c.Execute( "DELETE FROM timers WHERE execution_id = $e AND timer_id = $t", ("$e", executionId), ("$t", timerId)) > 0,
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DurableTimer>> ClaimDueTimersAsync(string ownerId, int maxCount, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateClaim(ownerId, maxCount, claimFor);
        return new(_writer.EnqueueAsync<IReadOnlyList<DurableTimer>>(
            c =>
            {
                // The clock is read inside the writer so "now" is never older than an earlier write's.
                var now = _time.GetUtcNow().UtcTicks;
                var due = new List<DurableTimer>();
                var select = c.Command(
                    """
                    SELECT execution_id, timer_id, due_at FROM timers
                    WHERE due_at <= $now AND (claim_expires_at IS NULL OR claim_expires_at <= $now)
                    ORDER BY due_at, execution_id, timer_id LIMIT $max
                    """,
                    ("$now", now),
                    ("$max", maxCount));
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        due.Add(new DurableTimer(reader.GetString(0), reader.GetString(1), SqliteCommands.Time(reader.GetInt64(2))));
                    }
                }

                foreach (var timer in due)
                {
                    c.Execute(
                        "UPDATE timers SET claimed_by = $owner, claim_expires_at = $until WHERE execution_id = $e AND timer_id = $t",
                        ("$owner", ownerId),
                        ("$until", now + claimFor.Ticks),
                        ("$e", timer.ExecutionId),
                        ("$t", timer.TimerId));
                }

                return due;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken) =>
        new(Read(c => c.Scalar(
            "SELECT due_at FROM timers WHERE claim_expires_at IS NULL OR claim_expires_at <= $now ORDER BY due_at LIMIT 1",
            ("$now", _time.GetUtcNow().UtcTicks)) is long due ? SqliteCommands.Time(due) : (DateTimeOffset?)null));
}
