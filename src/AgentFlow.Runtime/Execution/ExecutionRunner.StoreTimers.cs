using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Durable timers in the store (<see cref="ITimerStore"/>), mirrored from the log after each append, so a worker finds
/// due timers from the store without loading executions: sleeps, wait timeouts and retry delays. The runner's own
/// in-process timers still fire them while it runs; the store's are for whoever must wake the execution otherwise.
/// Only hosted executions (with a lease fence) mirror their timers.
/// </summary>
internal sealed partial class ExecutionRunner
{
    private Dictionary<int, DateTimeOffset>? _armedDue;
    private HashSet<string>? _storeTimers;
    private List<string>? _staleTimers;
    private bool _resyncTimers;
    private int _inFlightCount;

    /// <summary>Nothing of this execution is working now: it only waits (signals, timers, children's waits aside).</summary>
    public bool IsParked => Volatile.Read(ref _inFlightCount) == 0 && !_state.IsFinished;

    /// <summary>Tells the loop that the store found this node's timer due.</summary>
    public void NotifyStoreTimerDue(string nodeId) => Post(new StoreTimerDue(nodeId));

    private void SetInFlight(int index, bool value)
    {
        if (_inFlight[index] != value)
        {
            _inFlight[index] = value;
            Interlocked.Add(ref _inFlightCount, value ? 1 : -1);
        }
    }

    /// <summary>
    /// A due timer from the store: fired here when its in-process timer is gone (it normally fires on its own); a
    /// timer for a node no longer waiting on it is stale and deleted.
    /// </summary>
    private void OnStoreTimerDue(string nodeId)
    {
        var index = _graph.IndexOf(nodeId);
        if (index >= 0 && _armedDue is not null && _armedDue.TryGetValue(index, out var due) && _state.NodesByIndex[index] is { Status: NodeStatus.Waiting } node)
        {
            if (due <= Now && _timers?[index] is null)
            {
                Post(new TimerDue(index, node.WaitingOnTimer ? node.Attempt : node.Attempt + 1, IsRetry: !node.WaitingOnTimer));
            }

            return;
        }

        (_staleTimers ??= []).Add(nodeId);
    }

    /// <summary>Puts the timers just recorded in the store and removes those just fired or no longer needed.</summary>
    private async ValueTask MirrorTimersAsync(IReadOnlyList<ExecutionEvent> appended)
    {
        if (Fence is null || _runtime.Store is not ITimerStore timers)
        {
            return;
        }

        try
        {
            if (_resyncTimers)
            {
                // Resumed: a crash may have come between an append and its mirroring; arming again is idempotent.
                _resyncTimers = false;
                foreach (var (index, due) in _armedDue ?? [])
                {
                    await ScheduleAsync(timers, _graph.Nodes[index].Id, due).ConfigureAwait(false);
                }
            }

            foreach (var e in appended)
            {
                if (e is TimerScheduled scheduled)
                {
                    await ScheduleAsync(timers, scheduled.NodeId, scheduled.DueAt).ConfigureAwait(false);
                }
                else if (e is NodeRetryScheduled retry)
                {
                    await ScheduleAsync(timers, retry.NodeId, retry.DueAt).ConfigureAwait(false);
                }
                else if (EndsTimer(e) is { } nodeId && _storeTimers?.Contains(nodeId) == true)
                {
                    (_staleTimers ??= []).Add(nodeId);
                }
                else if (e is ExecutionCompleted or ExecutionFailed or ExecutionCancelled && _storeTimers is { Count: > 0 } left)
                {
                    (_staleTimers ??= []).AddRange(left);
                }
            }

            if (_staleTimers is { Count: > 0 } stale)
            {
                foreach (var nodeId in stale)
                {
                    await timers.DeleteTimerAsync(ExecutionId, nodeId, CancellationToken.None).ConfigureAwait(false);
                    _storeTimers?.Remove(nodeId);
                }

                stale.Clear();
            }
        }
#pragma warning disable CA1031 // The store's copy only helps others wake this execution; the log stays the truth and a resume re-arms it.
        catch (Exception)
#pragma warning restore CA1031
        {
            _resyncTimers = true;
        }
    }

    /// <summary>The node whose timer an event makes pointless (fired, or the node moved on); null for other events.</summary>
    private static string? EndsTimer(ExecutionEvent e) => e switch
    {
        TimerFired fired => fired.NodeId,
        NodeStarted started => started.NodeId,
        NodeSucceeded succeeded => succeeded.NodeId,
        NodeFailed { WillRetry: false } failed => failed.NodeId,
        NodeCancelled cancelled => cancelled.NodeId,
        NodeSkipped skipped => skipped.NodeId,
        _ => null,
    };

    private async ValueTask ScheduleAsync(ITimerStore timers, string nodeId, DateTimeOffset due)
    {
        await timers.ScheduleTimerAsync(new DurableTimer(ExecutionId, nodeId, due), CancellationToken.None).ConfigureAwait(false);
        (_storeTimers ??= new(StringComparer.Ordinal)).Add(nodeId);
    }
}
