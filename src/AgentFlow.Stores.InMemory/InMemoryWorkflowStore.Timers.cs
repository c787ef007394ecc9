using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<(string ExecutionId, string TimerId), TimerSlot> _timers = [];

    /// <inheritdoc />
    public ValueTask ScheduleTimerAsync(DurableTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentException.ThrowIfNullOrEmpty(timer.ExecutionId);
        ArgumentException.ThrowIfNullOrEmpty(timer.TimerId);
        lock (_gate)
        {
            _timers[(timer.ExecutionId, timer.TimerId)] = new TimerSlot(timer, ClaimedUntil: null);
            _notifier.Notify(StoreChannel.Timers, timer.ExecutionId);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteTimerAsync(string executionId, string timerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_timers.Remove((executionId, timerId)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DurableTimer>> ClaimDueTimersAsync(string ownerId, int maxCount, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateClaim(ownerId, maxCount, claimFor);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var claimed = _timers.Values
                .Where(s => s.Timer.DueAt <= now && (s.ClaimedUntil is not { } until || until <= now))
                .OrderBy(s => s.Timer.DueAt.UtcTicks).ThenBy(s => s.Timer.ExecutionId, StringComparer.Ordinal).ThenBy(s => s.Timer.TimerId, StringComparer.Ordinal)
                .Take(maxCount)
                .Select(s => s.Timer)
                .ToList();
            foreach (var timer in claimed)
            {
                _timers[(timer.ExecutionId, timer.TimerId)] = new TimerSlot(timer, now + claimFor);
            }

            return new(claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            DateTimeOffset? next = null;
            foreach (var slot in _timers.Values)
            {
                if ((slot.ClaimedUntil is not { } until || until <= now) && (next is null || slot.Timer.DueAt < next))
                {
                    next = slot.Timer.DueAt;
                }
            }

            return new(next);
        }
    }

    private sealed record TimerSlot(DurableTimer Timer, DateTimeOffset? ClaimedUntil);
}
