using AgentFlow.Core.Persistence;

namespace AgentFlow.Runtime.Hosting;

/// <summary>
/// What wakes a host: the store's announcements (<see cref="IStoreNotifications"/>), the next durable timer, and a
/// slow safety poll. Each kind of work has its own loop, asleep until its channel speaks.
/// </summary>
public sealed partial class WorkflowHost
{
    /// <summary>
    /// Runs <paramref name="work"/> (told whether a notification woke it), then sleeps on <paramref name="channel"/>
    /// for at most the safety poll or the delay the work asks for; work that returns true runs again at once.
    /// </summary>
    private async Task WakeLoopAsync(StoreChannel channel, Func<bool, CancellationToken, Task<bool>> work, CancellationToken cancellationToken)
    {
        var woken = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                _nextWake[(int)channel] = null;
                if (await work(woken, cancellationToken).ConfigureAwait(false))
                {
                    woken = false;
                    continue;
                }

                var wait = _options.PollInterval;
                if (_nextWake[(int)channel] is { } at && at - _runtime.TimeProvider.GetUtcNow() is var until && until < wait)
                {
                    wait = until > TimeSpan.Zero ? until : TimeSpan.FromMilliseconds(1);
                }

                woken = await WaitAsync(channel, wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A transient store error must not end the loop; the next poll retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _options.Log?.Invoke($"{channel} failed: {ex.Message}");
                woken = false;
                try
                {
                    await Task.Delay(_options.PollInterval, _runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_store is IStoreNotifications notifications)
        {
            return await notifications.WaitAsync(channel, timeout, cancellationToken).ConfigureAwait(false);
        }

        await Task.Delay(timeout, _runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Makes executions running here read their inboxes: those the store named on a notification, or, on the safety
    /// poll (or an announcement naming none), those one batched read finds signals for.
    /// </summary>
    private async Task<bool> DeliverSignalsAsync(bool woken, CancellationToken cancellationToken)
    {
        var named = woken && _store is IStoreNotifications notifications ? notifications.TakeAnnounced(StoreChannel.Signals) : null;
        if (named is null)
        {
            var active = _runtime.ActiveExecutionIds;
            if (active.Count == 0)
            {
                return false;
            }

            var pending = await _store.ReadPendingSignalsOfAsync(active, cancellationToken).ConfigureAwait(false);
            named = pending.Select(s => s.ExecutionId).ToHashSet(StringComparer.Ordinal);
        }

        foreach (var id in named)
        {
            _runtime.NotifySignals(id);
        }

        return false;
    }

    /// <summary>
    /// Claims the durable timers due now and wakes their executions: here when they run here, else by adopting them
    /// when their lease is free (a crashed owner's sleep that is due). Then sleeps until the next one is due.
    /// </summary>
    private async Task<bool> FireDueTimersAsync(bool woken, CancellationToken cancellationToken)
    {
        const int Batch = 256;
        var due = await _store.ClaimDueTimersAsync(OwnerId, Batch, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        foreach (var timer in due)
        {
            await WakeForTimerAsync(timer, cancellationToken).ConfigureAwait(false);
        }

        if (due.Count == Batch)
        {
            return true;
        }

        _nextWake[(int)StoreChannel.Timers] = await _store.GetNextDueAsync(cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task WakeForTimerAsync(DurableTimer timer, CancellationToken cancellationToken)
    {
        if (_runtime.NotifyStoreTimerDue(timer.ExecutionId, timer.TimerId))
        {
            return;
        }

        var record = await _store.GetExecutionAsync(timer.ExecutionId, cancellationToken).ConfigureAwait(false);
        if (record is null || record.IsTerminal)
        {
            await _store.DeleteTimerAsync(timer.ExecutionId, timer.TimerId, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Run here already (a child its root will resume), or owned by a live process: that one fires it.
        if (_owned.ContainsKey(await FindRootAsync(record, cancellationToken).ConfigureAwait(false))
            || await _store.TryAcquireLeaseAsync(timer.ExecutionId, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        await AdoptClaimedAsync(timer.ExecutionId, cancellationToken).ConfigureAwait(false);
    }
}
