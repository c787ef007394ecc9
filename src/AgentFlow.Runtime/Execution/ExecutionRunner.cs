using System.Threading.Channels;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Hosts one execution: a single loop owns its state, turns decisions into events, appends them in batches and
/// dispatches node attempts. Everything else talks to the loop through its inbox, so the state needs no locks. A node
/// whose executor completes synchronously is handled inline: no thread hop and no Task per node.
/// </summary>
/// <remarks>
/// Events are appended before the loop waits for anything, at least every <see cref="MaxBatch"/> events, and before
/// any node with effects outside the log is dispatched. So only local nodes (<see cref="Executors.ILocalNode"/>:
/// noop, transform, assign, ...; their work is recomputed identically) may run before their <c>NodeStarted</c> is
/// durable; an http call, say, always has its start on disk first. After a crash an attempt whose outcome was not
/// recorded is dispatched again with the same attempt number, hence the same idempotency key: at-least-once delivery
/// that an idempotent receiver turns into exactly-once effects.
/// </remarks>
#pragma warning disable CA1001 // _cts must outlive the loop while straggling attempts still observe it; it arms no timer, so the GC reclaims it safely.
internal sealed partial class ExecutionRunner
#pragma warning restore CA1001
{
    private readonly WorkflowRuntime _runtime;
    // Not readonly: a runner kept for map items may serve the items of another body next (see Reuse).
    private CompiledGraph _graph;
    private Decider _decider;

    // Reset in place for another body of as many nodes (see Reuse), so it stays one object.
    private readonly ExecutionState _state;
    private readonly TimeProvider _time;
    private Channel<RunnerMessage>? _inbox;
    private DateTimeOffset _stamp;
    private bool _stampValid;

    // Messages posted and taken by the loop (the single-reader inbox cannot count).
    private int _posted;
    private int _taken;
    private readonly List<ExecutionEvent> _batch = [];

    // Decisions in the order they are to be processed, the next one at _nextDecision: the decider appends to this list
    // itself (no copy into a queue per event), and Drain empties it.
    private readonly List<Decision> _decisions = [];
    private int _nextDecision;
    private CancellationTokenSource _cts = new();
    private bool[] _inFlight;
    private ITimer?[]? _timers;

    // Made when somebody asks for Completion: a map item that ends inline is read through IsFinished and State, and a
    // completion source, its task and a result per item were a tenth of what an item allocated.
    private TaskCompletionSource<ExecutionResult>? _completion;
    private int _finished;
    private Exception? _outcomeFailure;
    private const int MaxBatch = 256;

    /// <summary>Full batches a loop started inline appends before it moves to the thread pool (see <see cref="StartAsync"/>).</summary>
    private const int InlineBatches = 16;
    private int _inlineBatchesLeft;
    private List<StartNode> _dispatch = [];
    private List<StartNode> _dispatchSpare = [];
    private bool _dispatchHasEffects;
    private volatile bool _detached;
    private Exception? _lost;

    /// <summary>The last recorded start of each node when resuming, so re-dispatched attempts keep their deadlines.</summary>
    private Dictionary<int, NodeStarted>? _resumedStarts;
    private ITimer? _workflowTimer;
    private TimeSpan? _workflowTimeout;

    public ExecutionRunner(WorkflowRuntime runtime, CompiledGraph graph, string executionId, ExecutionState? replayed = null)
    {
        _runtime = runtime;
        _graph = graph;
        _time = runtime.TimeProvider;
        _decider = new Decider(graph, _time);
        _state = replayed ?? new ExecutionState(graph);
        ExecutionId = executionId;
        IsResumed = replayed is not null;
        _inFlight = new bool[graph.Count];
        Broadcaster = new EventBroadcaster(runtime.Store, executionId, runtime.Observer, graph);
    }

    public string ExecutionId { get; private set; }

    /// <summary>Whether this runner continues a stored log (after a crash, a restart or a retry) rather than starting one.</summary>
    public bool IsResumed { get; }

    public CompiledGraph Graph => _graph;

    public WorkflowRuntime Runtime => _runtime;

    public EventBroadcaster Broadcaster { get; }

    public Task<ExecutionResult> Completion
    {
        get
        {
            var completion = Volatile.Read(ref _completion);
            if (completion is null)
            {
                var created = new TaskCompletionSource<ExecutionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                completion = Interlocked.CompareExchange(ref _completion, created, null) ?? created;
            }

            // Either Finish sees the source made here, or this sees that Finish ran (both orders are fenced).
            if (Volatile.Read(ref _finished) != 0)
            {
                SetOutcome(completion);
            }

            return completion.Task;
        }
    }

    /// <summary>Whether the loop has ended (then <see cref="Completion"/> is complete, or completes as it is read).</summary>
    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>How the loop ended, when it ended with an exception (ownership lost, or a loop failure), else null.</summary>
    public Exception? Failure => IsFinished ? _outcomeFailure : null;

    /// <summary>The folded state; read it only from the loop, or after <see cref="Completion"/>.</summary>
    public ExecutionState State => _state;

    /// <summary>
    /// Records the start (durably, before returning) and runs the loop in the background, or with
    /// <paramref name="inline"/> on the calling thread until the loop first waits or has appended
    /// <see cref="InlineBatches"/> full batches (a child whose nodes all complete synchronously has then finished when
    /// this returns: no thread hop per map item).
    /// </summary>
    /// <param name="appendWithFirstBatch">
    /// Leave the start for the loop's first append instead of appending it alone first: for a child, whose parent node
    /// is what is durable (a crash before that append starts the child afresh, and a node with effects is still only
    /// dispatched once its start is appended). One store round trip less per map item.
    /// </param>
    public Task StartAsync(ExecutionStarted started, TimeSpan? timeout, CancellationToken cancellationToken, bool inline = false, bool appendWithFirstBatch = false)
    {
        // Not an async method: a map item's start (appended with its first batch) then costs no state machine.
        try
        {
            // The start was just stamped: the decisions that follow it are the same burst (see Stamp).
            _stamp = started.Timestamp;
            _stampValid = true;
            Emit(started);
            Drain();
            if (!appendWithFirstBatch)
            {
                return FlushThenLoopAsync(timeout, inline, cancellationToken);
            }

            BeginLoop(timeout, inline);
            return Task.CompletedTask;
        }
#pragma warning disable CA1031 // Surfaced through the returned task, as from the async method this stands for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException(ex);
        }
    }

    private async Task FlushThenLoopAsync(TimeSpan? timeout, bool inline, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        BeginLoop(timeout, inline);
    }

    private void BeginLoop(TimeSpan? timeout, bool inline)
    {
        _workflowTimeout = timeout;
        if (timeout is { } limit)
        {
            _workflowTimer = _time.CreateTimer(static s => ((ExecutionRunner)s!).Post(WorkflowTimedOut.Instance), this, limit, Timeout.InfiniteTimeSpan);
        }

        // The loop never faults (it ends Completion instead), so its task needs no observer.
        _inlineBatchesLeft = inline ? InlineBatches : 0;
        if (inline)
        {
            RunInline();
        }
        else
        {
            _ = Task.Run(LoopAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// The loop's steps that need no wait, on the calling thread: dispatching local nodes and a last append that the
    /// store completes at once (a map item of local nodes ends here, with no async loop started). At the first step
    /// that may wait (an append before a dispatch, a message, an append still in progress) the async loop takes over:
    /// it starts each round from the state, so it continues exactly where this stopped.
    /// </summary>
    private void RunInline()
    {
        try
        {
            while (true)
            {
                ForgetStamp();
                var step = NextStep();
                if (step == LoopStep.Dispatch)
                {
                    DispatchAll();
                    continue;
                }

                if (step == LoopStep.End)
                {
                    var flush = FlushAsync(CancellationToken.None);
                    if (!flush.IsCompletedSuccessfully)
                    {
                        _ = FinishWhenFlushedAsync(flush);
                        return;
                    }

                    flush.GetAwaiter().GetResult();
                }

                if (step is LoopStep.End or LoopStep.Stop)
                {
                    break;
                }

                _ = LoopAsync();
                return;
            }

            Finish(null);
        }
#pragma warning disable CA1031 // The loop must always complete the handle; the failure is surfaced through Completion.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EndLoop(ex);
        }
    }

    /// <summary>What the loop does next, decided from the state alone (so the inline and the async loop agree).</summary>
    private LoopStep NextStep()
    {
        if (_detached)
        {
            // Like a crash, minus the crash: nothing more is written; the log resumes from where it stands.
            return LoopStep.Stop;
        }

        if (_state.IsFinished || CanPark())
        {
            return LoopStep.End;
        }

        if (_dispatch.Count > 0)
        {
            // Synchronous local nodes keep the loop busy; append in bounded batches rather than once per node. A node
            // with effects outside the log is dispatched only once its NodeStarted is durable.
            return _batch.Count >= MaxBatch || _dispatchHasEffects ? LoopStep.FlushThenDispatch : LoopStep.Dispatch;
        }

        return LoopStep.Wait;
    }

    private async Task FinishWhenFlushedAsync(ValueTask flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
            Finish(null);
        }
#pragma warning disable CA1031 // The loop must always complete the handle; the failure is surfaced through Completion.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EndLoop(ex);
        }
    }

    /// <summary>Continues a replayed execution: re-dispatches unfinished attempts and re-arms timers.</summary>
    public void Resume()
    {
        Broadcaster.Publish([.. ReplayedEvents], replayed: true);
        foreach (var e in ReplayedEvents)
        {
            if (e is NodeStarted started && _graph.IndexOf(started.NodeId) is var index and >= 0)
            {
                (_resumedStarts ??= [])[index] = started;
            }
        }

        _decisions.AddRange(_decider.DecideAll(_state));

        Drain();

        // Folded and published: the runner has no further use for the replayed list.
        ReplayedEvents = [];
        _signalCheckRequested = true;
        _resyncTimers = true;
        _ = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Events already in the log when resuming (published to watchers first).</summary>
    public IReadOnlyList<ExecutionEvent> ReplayedEvents { get; set; } = [];

    public void RequestCancel() => Post(CancelRequested.Instance);

    /// <summary>Whether the loop stops (or stopped) without recording anything more.</summary>
    public bool IsDetached => _detached;

    /// <summary>
    /// Stops the loop without recording anything more (the process hands the execution over or shuts down). Takes
    /// effect before any message not yet handled, so a cancellation that a detaching parent passes on to its children
    /// is not recorded either.
    /// </summary>
    public void Detach()
    {
        _detached = true;
        Post(Detached.Instance);
    }

    /// <summary>
    /// The execution is owned elsewhere now (another writer appended first, the store refused an append, or the host
    /// found the lease taken). Stops the loop at once without recording anything more, cancels the work of nodes in
    /// flight, detaches the children running here (so the cancellation this runner's stop passes on is not recorded
    /// either) and ends <see cref="Completion"/> with <see cref="Hosting.ExecutionOwnershipLostException"/>.
    /// </summary>
    /// <param name="cause">An <see cref="EventStoreConcurrencyException"/> or a <see cref="Core.Persistence.LeaseLostException"/>.</param>
    internal void LoseOwnership(Exception cause)
    {
        Interlocked.CompareExchange(ref _lost, cause, null);
        _detached = true;
        _runtime.DetachDescendants(ExecutionId);
        Post(Detached.Instance);

        // The loop may be busy (e.g. awaiting an append): the work must stop now, not when the loop next looks.
        _cts.Cancel();
    }

    /// <summary>What shows that an exception a node, child or append surfaced means lost ownership, or null.</summary>
    internal static Exception? OwnershipLoss(Exception exception) => exception switch
    {
        EventStoreConcurrencyException or Core.Persistence.LeaseLostException => exception,
        Hosting.ExecutionOwnershipLostException lost => lost.InnerException,
        _ => null,
    };

    /// <summary>The lease this execution's appends are checked against; null when it runs without one.</summary>
    public LeaseFence? Fence
    {
        get => _fence;
        init => _fence = value;
    }

    private void Post(RunnerMessage message)
    {
        Interlocked.Increment(ref _posted);
        Inbox.Writer.TryWrite(message);
    }

    /// <summary>Whether a message waits for the loop (work running inline on the loop's thread should then let it run).</summary>
    public bool HasPendingMessages => Volatile.Read(ref _posted) != Volatile.Read(ref _taken);

    /// <summary>
    /// Created on first use: a map item of local nodes ends without ever waiting for a message, and a channel (with its
    /// queue segment) per item was a large part of what an item allocated.
    /// </summary>
    private Channel<RunnerMessage> Inbox
    {
        get
        {
            var inbox = Volatile.Read(ref _inbox);
            if (inbox is not null)
            {
                return inbox;
            }

            var created = Channel.CreateUnbounded<RunnerMessage>(new UnboundedChannelOptions { SingleReader = true });
            return Interlocked.CompareExchange(ref _inbox, created, null) ?? created;
        }
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// The timestamp of the next event: read once per burst of synchronous decisions, since a clock read cost about as
    /// much as the rest of a no-op node. Every point where time can pass (an executor call, an append, a wait for a
    /// message) forgets it (<see cref="ForgetStamp"/>), so an event is never stamped before what it follows happened.
    /// </summary>
    private DateTimeOffset Stamp
    {
        get
        {
            if (!_stampValid)
            {
                _stamp = _time.GetUtcNow();
                _stampValid = true;
            }

            return _stamp;
        }
    }

    private void ForgetStamp() => _stampValid = false;

    private long NextSequence => _state.LastSequence + 1;

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                ForgetStamp();
                var step = NextStep();
                if (step == LoopStep.Stop)
                {
                    break;
                }

                if (step == LoopStep.End)
                {
                    await FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    break;
                }

                if (step != LoopStep.Wait)
                {
                    if (step == LoopStep.FlushThenDispatch)
                    {
                        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
                        if (_inlineBatchesLeft > 0 && --_inlineBatchesLeft == 0)
                        {
                            // A long run of local nodes started inline: give the caller its thread back.
                            await Task.Yield();
                        }
                    }

                    _dispatchHasEffects = false;
                    DispatchAll();
                    continue;
                }

                await FlushAsync(CancellationToken.None).ConfigureAwait(false);
                MaybeFetchSignals();
                var inbox = Inbox;
                var message = await inbox.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _taken);
                ForgetStamp();
                Handle(message);
                while (inbox.Reader.TryRead(out message))
                {
                    Interlocked.Increment(ref _taken);
                    Handle(message);
                }
            }

            Finish(null);
        }
#pragma warning disable CA1031 // The loop must always complete the handle; the failure is surfaced through Completion.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EndLoop(ex);
        }
    }

    /// <summary>Ends a loop that failed: silently when the log is owned elsewhere now, else with the failure.</summary>
    private void EndLoop(Exception exception)
    {
        if (OwnershipLoss(exception) is { } cause)
        {
            // Fenced: someone else owns this log now. Record nothing (no NodeFailed, no ExecutionFailed).
            LoseOwnership(cause);
            Finish(null);
            return;
        }

        Finish(exception);
    }

    private void Handle(RunnerMessage message)
    {
        if (_detached)
        {
            return;
        }

        switch (message)
        {
            case NodeOutcome outcome:
                OnOutcome(outcome);
                break;
            case TimerDue due:
                OnTimerDue(due);
                break;
            case CancelRequested when _state.Status is ExecutionStatus.Running or ExecutionStatus.Paused:
                Emit(new ExecutionCancelRequested(ExecutionId, NextSequence, Stamp));
                break;
            case PauseRequested pause:
                OnPauseRequested(pause.Reason, pause.Reply);
                break;
            case ResumeRequested resume:
                OnResumeRequested(resume.Reply);
                break;
            case SignalsAvailable:
                _signalCheckRequested = true;
                break;
            case SignalsFetched fetched:
                OnSignalsFetched(fetched.Signals);
                break;
            case StoreTimerDue due:
                OnStoreTimerDue(due.NodeId);
                break;
            case WorkflowTimedOut when !_state.IsFinished:
                EndFailed(new ErrorInfo("timeout", $"Workflow '{_state.WorkflowId}' exceeded its timeout of {_workflowTimeout}.", Retryable: false), null);
                break;
            default:
                break;
        }

        Drain();
    }

    /// <summary>Applies an event, queues it for the next append, and queues the decisions that follow.</summary>
    private void Emit(ExecutionEvent executionEvent, bool decide = true)
    {
        _state.Apply(executionEvent);
        _batch.Add(executionEvent);
        if (!decide)
        {
            return;
        }

        _decider.Decide(_state, executionEvent, _decisions);
    }

    private void Drain()
    {
        while (_nextDecision < _decisions.Count)
        {
            if (_state.IsFinished)
            {
                break;
            }

            Process(_decisions[_nextDecision++]);
        }

        _decisions.Clear();
        _nextDecision = 0;
    }

    /// <summary>
    /// Appends the batch, publishes it and does the work that follows an append. Synchronous when the store's append
    /// completes at once and nothing else is due (no lease, so no timer mirroring; no signal to acknowledge): the
    /// common case of an in-memory run, which then costs no state machine per flush.
    /// </summary>
    private ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0 || Fence is not null || _signalAcks.Count > 0)
        {
            return FlushSlowAsync(cancellationToken);
        }

        var append = _runtime.Store.AppendAsync(ExecutionId, _batch[0].Sequence - 1, _batch, cancellationToken);
        if (!append.IsCompletedSuccessfully)
        {
            return PublishWhenAppendedAsync(append);
        }

        append.GetAwaiter().GetResult();
        Published();
        return default;
    }

    private async ValueTask PublishWhenAppendedAsync(ValueTask append)
    {
        await append.ConfigureAwait(false);
        Published();
    }

    /// <summary>The batch is in the store: time has passed, watchers get it, and the buffer is free for the next one.</summary>
    private void Published()
    {
        ForgetStamp();
        Broadcaster.Publish(_batch);
        _batch.Clear();
    }

    private async ValueTask FlushSlowAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count > 0)
        {
            if (Fence is { } fence && _runtime.Store is Core.Persistence.ILeaseStore leases)
            {
                await leases.AppendLeasedAsync(ExecutionId, _batch[0].Sequence - 1, _batch, fence.LeaseExecutionId, fence.OwnerId, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _runtime.Store.AppendAsync(ExecutionId, _batch[0].Sequence - 1, _batch, cancellationToken).ConfigureAwait(false);
            }

            ForgetStamp();
            Broadcaster.Publish(_batch);
            await MirrorTimersAsync(_batch).ConfigureAwait(false);
            _batch.Clear();
        }
        else if (_resyncTimers || _staleTimers is { Count: > 0 })
        {
            await MirrorTimersAsync([]).ConfigureAwait(false);
        }

        if (_signalAcks.Count > 0)
        {
            await AcknowledgeSignalsAsync().ConfigureAwait(false);
        }
    }

    private void Finish(Exception? failure)
    {
        _workflowTimer?.Dispose();
        foreach (var timer in _timers ?? [])
        {
            timer?.Dispose();
        }

        // Stragglers (siblings of a node that failed the workflow) must stop too. A runner kept for the next map item
        // with nothing in flight has no straggler: its source is reset for that item instead (see TryRecycle).
        if (!_recyclable || Volatile.Read(ref _inFlightCount) > 0)
        {
            _cts.Cancel();
        }

        _runtime.Unregister(this);
        Broadcaster.Complete();
        if (!_recyclable)
        {
            // The spare item runner holds its last item's state: not kept past the end of this execution. (An item's
            // own spare, for maps in its body, lives on with it while its parent's map reuses it.)
            Volatile.Write(ref _itemRunners, null);
        }

        _outcomeFailure = Volatile.Read(ref _lost) is { } lost ? new Hosting.ExecutionOwnershipLostException(ExecutionId, lost) : failure;
        Interlocked.Exchange(ref _finished, 1);
        if (Volatile.Read(ref _completion) is { } completion)
        {
            SetOutcome(completion);
        }
    }

    private void SetOutcome(TaskCompletionSource<ExecutionResult> completion)
    {
        if (completion.Task.IsCompleted)
        {
            return;
        }

        if (_outcomeFailure is { } failure)
        {
            completion.TrySetException(failure);
            return;
        }

        completion.TrySetResult(new ExecutionResult(ExecutionId, _state.Status, _state.Outputs, _state.Error, _state.FailedNodeId));
    }
}
