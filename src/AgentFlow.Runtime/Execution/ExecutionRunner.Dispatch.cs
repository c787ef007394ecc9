using System.Runtime.InteropServices;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime.Execution;

internal sealed partial class ExecutionRunner
{
    private List<KeyValuePair<string, Value>>? _scopeEntries;

    /// <summary>Runs the attempts started in the last round (their NodeStarted events are already appended).</summary>
    private void DispatchAll()
    {
        (_dispatch, _dispatchSpare) = (_dispatchSpare, _dispatch);
        foreach (var start in _dispatchSpare)
        {
            if (_detached)
            {
                break;
            }

            if (_state.Status == ExecutionStatus.Running && _state.NodesByIndex[start.NodeIndex].Status == NodeStatus.Running)
            {
                Dispatch(start);
            }
        }

        _dispatchSpare.Clear();
        Drain();
    }

    private void Dispatch(StartNode start)
    {
        var definition = _graph.Nodes[start.NodeIndex];
        var (executor, role) = BoundExecutor(start.NodeIndex);
        if (executor is null)
        {
            OnOutcome(start.NodeIndex, start.Attempt, default, new ErrorInfo("node.kind", $"Node '{definition.Id}': no executor is registered for kind '{definition.Kind}'."), false);
            return;
        }

        SetInFlight(start.NodeIndex, true);
        if ((role & ExecutorRole.Child) != 0)
        {
            // Orchestrating nodes hold no budget slot: their children need the slots, and holding one could deadlock.
            Run(executor, role, start, (role & ExecutorRole.Map) != 0 ? CaptureChildScope(definition.Body) : default, holdsSlot: false);
        }
        else if ((role & ExecutorRole.MapNode) != 0)
        {
            Run(executor, role, start, CaptureChildScope(definition.Body), holdsSlot: false);
        }
        else if ((role & ExecutorRole.Local) != 0)
        {
            // Local nodes compute on the loop's thread from the log alone; the budget bounds work that waits on
            // something outside (I/O, models), and two semaphore round trips per no-op node were measurable.
            Run(executor, role, start, default, holdsSlot: false);
        }
        else if (_runtime.Budget.Wait(0))
        {
            Run(executor, role, start, default, holdsSlot: true);
        }
        else
        {
            _ = RunWhenBudgetAllowsAsync(executor, start);
        }
    }

    private async Task RunWhenBudgetAllowsAsync(INodeExecutor executor, StartNode start)
    {
        try
        {
            await _runtime.Budget.WaitAsync(_cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Post(new NodeOutcome(start.NodeIndex, start.Attempt, default, null, Cancelled: true));
            return;
        }

        Run(executor, ExecutorRole.None, start, default, holdsSlot: true, onLoop: false);
    }

    /// <summary>
    /// Calls the executor. A synchronously completed result is handled inline when on the loop (the no-op hot path);
    /// otherwise the outcome is posted to the inbox when it arrives.
    /// </summary>
    private void Run(INodeExecutor executor, ExecutorRole role, StartNode start, Value childScope, bool holdsSlot, bool onLoop = true)
    {
        var definition = _graph.Nodes[start.NodeIndex];
        CancellationTokenSource? timeout = null;
        CancellationTokenSource? linked = null;
        var token = _cts.Token;
        if (definition.Timeout is { } limit)
        {
            // A re-dispatched attempt keeps the deadline of its recorded start: a restart does not extend a timeout.
            if (_resumedStarts is not null && _resumedStarts.Remove(start.NodeIndex, out var resumed) && resumed.Attempt == start.Attempt)
            {
                var left = limit - (Now - resumed.Timestamp);
                limit = left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }

            timeout = new CancellationTokenSource(limit, _time);
            linked = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, timeout.Token);
            token = linked.Token;
        }

        var context = new NodeContext
        {
            ExecutionId = ExecutionId,
            Node = definition,
            Attempt = start.Attempt,
            Parameters = start.Parameters,
            Time = _time,
            // Local nodes compute a result from the log and stream nothing: no sink per dispatch for them.
            Progress = (role & ExecutorRole.Local) != 0 ? NullNodeProgress.Instance : new ProgressSink(Broadcaster, ExecutionId, definition.Id, start.Attempt),
            Services = _runtime.Services,
        };

        ValueTask<Value> pending;
        try
        {
            pending = (role & (ExecutorRole.Child | ExecutorRole.MapNode)) == 0 ? executor.ExecuteAsync(context, token) : executor switch
            {
                IChildExecutionNode child => child.ExecuteAsync(this, context, childScope, token),
                IMapNodeExecutor map => MapRunner.RunAsync(this, context, childScope, map, token),
                _ => executor.ExecuteAsync(context, token),
            };
        }
#pragma warning disable CA1031 // Any executor exception becomes a recorded node failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending = ValueTask.FromException<Value>(ex);
        }

        ForgetStamp();

        if (pending.IsCompleted && onLoop)
        {
            if (pending.IsCompletedSuccessfully)
            {
                // The hot path: no outcome object, no thread hop.
                var output = pending.GetAwaiter().GetResult();
                Release(holdsSlot, timeout, linked);
                OnOutcome(start.NodeIndex, start.Attempt, output, null, false);
                return;
            }

            NodeOutcome outcome;
            try
            {
                // Already completed: this does not block; it surfaces the exception.
                pending.GetAwaiter().GetResult();
                outcome = new NodeOutcome(start.NodeIndex, start.Attempt, default, null, false);
            }
            catch (Exception ex) when (OwnershipLoss(ex) is { } cause)
            {
                StopOwnedElsewhere(cause, holdsSlot, timeout, linked);
                return;
            }
#pragma warning disable CA1031 // Any executor exception becomes a recorded node failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcome = ToFailure(start, ex, timeout);
            }

            Release(holdsSlot, timeout, linked);
            OnOutcome(outcome);
            return;
        }

        _ = AwaitOutcomeAsync(pending, start, holdsSlot, timeout, linked);
    }

    private async Task AwaitOutcomeAsync(ValueTask<Value> pending, StartNode start, bool holdsSlot, CancellationTokenSource? timeout, CancellationTokenSource? linked)
    {
        NodeOutcome outcome;
        try
        {
            outcome = new NodeOutcome(start.NodeIndex, start.Attempt, await pending.ConfigureAwait(false), null, false);
        }
        catch (Exception ex) when (OwnershipLoss(ex) is { } cause)
        {
            StopOwnedElsewhere(cause, holdsSlot, timeout, linked);
            return;
        }
#pragma warning disable CA1031 // Any executor exception becomes a recorded node failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = ToFailure(start, ex, timeout);
        }

        Release(holdsSlot, timeout, linked);
        Post(outcome);
    }

    /// <summary>A child's log was written by its new owner: the whole execution is owned elsewhere now, so nothing is recorded.</summary>
    private void StopOwnedElsewhere(Exception cause, bool holdsSlot, CancellationTokenSource? timeout, CancellationTokenSource? linked)
    {
        Release(holdsSlot, timeout, linked);
        LoseOwnership(cause);
    }

    private NodeOutcome ToFailure(StartNode start, Exception exception, CancellationTokenSource? timeout)
    {
        if (exception is OperationCanceledException)
        {
            if (_cts.IsCancellationRequested)
            {
                return new NodeOutcome(start.NodeIndex, start.Attempt, default, null, Cancelled: true);
            }

            if (timeout?.IsCancellationRequested == true)
            {
                var limit = _graph.Nodes[start.NodeIndex].Timeout;
                return new NodeOutcome(start.NodeIndex, start.Attempt, default, new ErrorInfo("timeout", $"Node '{start.NodeId}' timed out after {limit}.", Retryable: true), false);
            }
        }

        var error = exception switch
        {
            NodeExecutionException coded => new ErrorInfo(coded.Code, coded.Message, coded.Details, coded.Retryable),
            OperationCanceledException => new ErrorInfo("cancelled", $"Node '{start.NodeId}' was cancelled by its executor.", Retryable: false),

            // Unexpected exceptions are mostly transient I/O in practice, so they may be retried.
            _ => new ErrorInfo("exception", $"{exception.GetType().Name}: {exception.Message}", Value.Object(("type", exception.GetType().FullName)), Retryable: true),
        };
        return new NodeOutcome(start.NodeIndex, start.Attempt, default, error, false);
    }

    private void Release(bool holdsSlot, CancellationTokenSource? timeout, CancellationTokenSource? linked)
    {
        if (holdsSlot)
        {
            _runtime.Budget.Release();
        }

        linked?.Dispose();
        timeout?.Dispose();
    }

    private void OnOutcome(NodeOutcome outcome) => OnOutcome(outcome.NodeIndex, outcome.Attempt, outcome.Output, outcome.Error, outcome.Cancelled);

    private void OnOutcome(int index, int attempt, Value output, ErrorInfo? error, bool cancelled)
    {
        SetInFlight(index, false);
        var node = _state.NodesByIndex[index];
        if (_state.IsFinished || node.Status != NodeStatus.Running || node.Attempt != attempt)
        {
            return;
        }

        if (cancelled || (_state.Status == ExecutionStatus.Cancelling && error is not null))
        {
            Emit(new NodeCancelled(ExecutionId, NextSequence, Stamp, node.NodeId, attempt));
            return;
        }

        if (error is not null)
        {
            RecordFailure(index, attempt, error);
            return;
        }

        if (_graph.Nodes[index].Kind == NodeKinds.Assign && _runtime.Registry.TryGet(NodeKinds.Assign, out var executor) && executor is AssignExecutor)
        {
            Emit(new VariablesAssigned(ExecutionId, NextSequence, Stamp, node.NodeId, output));
        }

        var branch = _graph.Nodes[index].BranchFromOutput && output["branch"] is { Kind: ValueKind.String } chosen ? chosen.AsString() : null;
        Emit(new NodeSucceeded(ExecutionId, NextSequence, Stamp, node.NodeId, attempt, output, branch));
    }

    /// <summary>
    /// The parent's lexical scope handed to map items: the resolved nodes the body reads (over any this execution
    /// inherited itself) and the variables. Taken on the loop, at dispatch, so items never read the parent's live state.
    /// </summary>
    private Value CaptureChildScope(WorkflowDefinition? body)
    {
        var wanted = body is null ? null : _runtime.ScopeReferencesOf(body).Nodes;
        if (wanted is not null)
        {
            return Value.Object(("nodes", WantedNodes(wanted)), ("vars", _state.VariablesValue));
        }

        // A body that names nodes by a computed key (or none): every inherited and resolved node, this execution's last.
        var nodes = new List<KeyValuePair<string, Value>>(_state.NodesByIndex.Count);
        if (_state.TryGetScopeRoot("nodes", out var inherited) && inherited.Kind == ValueKind.Object)
        {
            nodes.AddRange(inherited.AsObject());
        }

        foreach (var node in _state.NodesByIndex)
        {
            if (node.IsResolved)
            {
                nodes.Add(new(node.NodeId, node.ToScopeValue()));
            }
        }

        return Value.Object(("nodes", Value.Object(nodes)), ("vars", _state.VariablesValue));
    }

    /// <summary>
    /// The nodes a body names, looked up by id: a body usually reads one or two of a workflow's nodes, and walking every
    /// node of a long workflow per map run was measurable. This execution's own node wins over an inherited one.
    /// </summary>
    private Value WantedNodes(string[] wanted)
    {
        // Gathered in a buffer the runner keeps and copied once into the object's exact-size array.
        var nodes = _scopeEntries ??= new List<KeyValuePair<string, Value>>(wanted.Length);
        nodes.Clear();
        var inherited = _state.TryGetScopeRoot("nodes", out var outer) && outer.Kind == ValueKind.Object ? outer : default;
        foreach (var id in wanted)
        {
            if (_graph.IndexOf(id) is var index and >= 0 && _state.NodesByIndex[index] is { IsResolved: true } node)
            {
                nodes.Add(new(id, node.ToScopeValue()));
            }
            else if (inherited.TryGetProperty(id, out var value))
            {
                nodes.Add(new(id, value));
            }
        }

        var result = Value.From(ValueObject.Create(CollectionsMarshal.AsSpan(nodes)));
        nodes.Clear();
        return result;
    }

    /// <summary>
    /// Forwards a node's partial output to live watchers. Whether anyone watches is checked per report, not at dispatch,
    /// so a watcher that attaches while a node runs (e.g. an API client right after starting) gets its progress.
    /// </summary>
    private sealed class ProgressSink(EventBroadcaster broadcaster, string executionId, string nodeId, int attempt) : INodeProgress
    {
        public void Report(Value partial)
        {
            if (broadcaster.HasSubscribers)
            {
                broadcaster.PublishProgress(new NodeProgressUpdate(executionId, nodeId, attempt, partial));
            }
        }
    }
}
