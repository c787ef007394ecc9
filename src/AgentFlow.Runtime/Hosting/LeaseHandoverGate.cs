namespace AgentFlow.Runtime.Hosting;

/// <summary>
/// Orders, per execution, a finished run giving its lease back against a new run of the same execution taking it
/// here (resume right after a pause, retry): without it the old run's release could land after the new run's acquire,
/// and the fenced new run would then find its lease gone. One turn per execution id, so releases of different
/// executions never queue behind each other (a shared pool of locks capped how many releases could be in flight,
/// and under load finished runs piled up waiting for a turn, each holding its whole state).
/// </summary>
internal sealed class LeaseHandoverGate
{
    private readonly Lock _lock = new();

    // Present while somebody holds the execution's turn; the queue holds those waiting for it, in arrival order.
    private readonly Dictionary<string, Queue<TaskCompletionSource>?> _held = new(StringComparer.Ordinal);

    /// <summary>How many executions somebody holds the turn of (for tests: it must drop back to zero).</summary>
    public int HeldCount
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    public ValueTask<Entered> EnterAsync(string executionId, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (!_held.TryGetValue(executionId, out var waiting))
            {
                _held.Add(executionId, null);
                return new(new Entered(this, executionId));
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (waiting is null)
            {
                waiting = new Queue<TaskCompletionSource>();
                _held[executionId] = waiting;
            }

            waiting.Enqueue(waiter);
        }

        return WaitForTurnAsync(waiter, executionId, cancellationToken);
    }

    private async ValueTask<Entered> WaitForTurnAsync(TaskCompletionSource waiter, string executionId, CancellationToken cancellationToken)
    {
        // Exactly one of cancel and hand-over wins the waiter: a cancelled waiter is skipped by Exit, a handed one owns the turn.
        using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
        {
            await waiter.Task.ConfigureAwait(false);
        }

        return new Entered(this, executionId);
    }

    private void Exit(string executionId)
    {
        lock (_lock)
        {
            var waiting = _held[executionId];
            while (waiting is { Count: > 0 })
            {
                if (waiting.Dequeue().TrySetResult())
                {
                    return;
                }
            }

            _held.Remove(executionId);
        }
    }

    /// <summary>Gives the turn to the next waiter of the same execution when disposed.</summary>
    public readonly struct Entered(LeaseHandoverGate gate, string executionId) : IDisposable
    {
        public void Dispose() => gate.Exit(executionId);
    }
}
