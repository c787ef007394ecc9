namespace AgentFlow.Core.Persistence;

/// <summary>Durable timers (sleeps, retry back-offs, timeouts) that survive restarts and are fired by any worker.</summary>
/// <remarks>
/// Guarantees: a timer is identified by (execution id, timer id), and scheduling it again replaces its due time and
/// any claim on it. A due timer (due time at or before the store clock's now) is handed to exactly one claimer at a
/// time: a claim hides it from other claimers until the claim expires, so a worker that dies before acknowledging it
/// does not lose it (delivery is at-least-once; the log's <see cref="Events.TimerFired"/> makes firing idempotent).
/// Claims return the earliest due timers first. A deleted timer is never returned again.
/// </remarks>
public interface ITimerStore
{
    /// <summary>Arms (or re-arms) a timer.</summary>
    ValueTask ScheduleTimerAsync(DurableTimer timer, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a timer: cancels a pending one, or acknowledges a claimed one once its firing is recorded in the log.
    /// </summary>
    /// <returns>False when no such timer exists.</returns>
    ValueTask<bool> DeleteTimerAsync(string executionId, string timerId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="maxCount"/> timers that are due now and not claimed by a live claim, hiding them for
    /// <paramref name="claimFor"/>.
    /// </summary>
    ValueTask<IReadOnlyList<DurableTimer>> ClaimDueTimersAsync(string ownerId, int maxCount, TimeSpan claimFor, CancellationToken cancellationToken);

    /// <summary>
    /// The earliest due time of the timers no live claim hides (whether due yet or not); null when there are none. A
    /// worker sleeps until then (or until a new timer is announced) instead of polling for due timers.
    /// </summary>
    ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken);
}
