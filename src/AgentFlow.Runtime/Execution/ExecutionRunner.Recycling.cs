using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Reuse of a finished map item's runner for the next item of the same map (see <see cref="ItemRunnerSlot"/>): its
/// state, decider, buffers and broadcaster are reset rather than allocated again. Each item still gets its own id,
/// its own events and its own log; only the scratch objects are shared, one item after the other.
/// </summary>
internal sealed partial class ExecutionRunner
{
    private const int Private = 0;
    private const int Exposed = 1;
    private const int Recycled = 2;

    private LeaseFence? _fence;

    // Private until somebody outside the map that runs the item finds the runner through the runtime (a handle, a
    // cancel, a detach...): an exposed runner is never reused, and a reused one is never handed out under its old id.
    private int _exposure;

    // Made by an ItemRunnerSlot: its token source is reset, not cancelled, when it ends with nothing in flight.
    private bool _recyclable;

    // The spare item runner of this execution's sequential maps, lent to one map run at a time.
    private ItemRunnerSlot? _itemRunners;

    /// <summary>The spare item runner for a map this execution runs; a fresh slot when another map has it now.</summary>
    public ItemRunnerSlot RentItemRunners() => Interlocked.Exchange(ref _itemRunners, null) ?? new ItemRunnerSlot();

    /// <summary>Gives the slot back once the map's items have all ended (only then is its spare runner free).</summary>
    public void ReturnItemRunners(ItemRunnerSlot slot) => Volatile.Write(ref _itemRunners, slot);

    /// <summary>Creates a runner for a map item that may later be reused for the next item.</summary>
    public static ExecutionRunner ForItem(WorkflowRuntime runtime, CompiledGraph graph, string executionId, LeaseFence? fence) =>
        new(runtime, graph, executionId) { Fence = fence, _recyclable = true };

    /// <summary>
    /// Marks the runner as known outside its map (see <see cref="WorkflowRuntime"/>'s lookups); false when it now runs
    /// another execution than <paramref name="executionId"/> (it was reused after that one ended).
    /// </summary>
    public bool Expose(string executionId) =>
        Interlocked.CompareExchange(ref _exposure, Exposed, Private) != Recycled && string.Equals(ExecutionId, executionId, StringComparison.Ordinal);

    /// <summary>
    /// Whether this finished item's runner can serve the next item: it ended inline and cleanly, nothing outside holds
    /// it (no handle, no watcher, no completion task, no timer, no message, no attempt in flight), and it is not
    /// reachable through the runtime any more. From here on only <see cref="Reuse"/> may touch it.
    /// </summary>
    public bool TryRecycle()
    {
        if (!_recyclable || !IsFinished || _outcomeFailure is not null || _lost is not null || _detached
            || Volatile.Read(ref _completion) is not null || Volatile.Read(ref _inbox) is not null || Volatile.Read(ref _inFlightCount) != 0
            || _timers is not null || _workflowTimer is not null || _storeTimers is { Count: > 0 } || _armedDue is { Count: > 0 }
            || !Broadcaster.NeverWatched)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _exposure, Recycled, Private) == Private;
    }

    /// <summary>
    /// Resets a runner <see cref="TryRecycle"/> accepted so that it runs a new item of <paramref name="graph"/>, as if
    /// newly made: its state is reset for the same body, made anew for another one.
    /// </summary>
    public ExecutionRunner Reuse(string executionId, LeaseFence? fence, CompiledGraph graph)
    {
        if (!ReferenceEquals(graph, _graph))
        {
            // Another body (the next map of a chain, say): the node objects and per-node buffers serve it when it has as
            // many nodes. Bound executors are checked against the registry at each bind, so a kept array is safe.
            if (_graph.Count != graph.Count)
            {
                _executors = null;
                _inFlight = new bool[graph.Count];
            }

            _graph = graph;
            _decider = new Decider(graph, _time);
            _armedDue = null;
        }

        _state.Reset(graph);

        _batch.Clear();
        _decisions.Clear();
        _nextDecision = 0;
        _dispatch.Clear();
        _dispatchSpare.Clear();
        _signalAcks.Clear();
        _staleTimers?.Clear();
        if (!_cts.TryReset())
        {
            _cts = new CancellationTokenSource();
        }

        _stampValid = false;
        _finished = 0;
        _inlineBatchesLeft = 0;
        _dispatchHasEffects = false;
        _resumedStarts = null;
        _workflowTimeout = null;
        _signalCheckRequested = false;
        _fetchingSignals = false;
        _resyncTimers = false;
        _fence = fence;
        ExecutionId = executionId;
        Broadcaster.Reset(executionId, graph);

        // Last: a lookup that raced with the reuse sees the new id (the exchange above and this write are fenced).
        Volatile.Write(ref _exposure, Private);
        return this;
    }
}
