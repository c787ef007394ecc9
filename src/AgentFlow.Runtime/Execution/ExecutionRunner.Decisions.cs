using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime.Execution;

internal sealed partial class ExecutionRunner
{
    /// <summary>
    /// Turns one decision into events and work. A decision can be stale by the time it is processed (e.g. a node
    /// skipped by a continue node and again by propagation), so each one re-checks the node's status first.
    /// </summary>
    private void Process(Decision decision)
    {
        switch (decision)
        {
            case StartNode start:
                OnStartNode(start);
                break;
            case CompleteNode complete when IsPending(complete.NodeId):
                Emit(new NodeStarted(ExecutionId, NextSequence, Stamp, complete.NodeId, complete.Attempt, complete.Parameters));
                Emit(new NodeSucceeded(ExecutionId, NextSequence, Stamp, complete.NodeId, complete.Attempt, complete.Output, complete.Branch));
                break;
            case FailNode fail when IsPending(fail.NodeId) || IsWaitingForRetry(fail.NodeId, fail.Attempt):
                Emit(new NodeStarted(ExecutionId, NextSequence, Stamp, fail.NodeId, fail.Attempt, fail.Parameters));
                RecordFailure(_graph.IndexOf(fail.NodeId), fail.Attempt, fail.Error);
                break;
            case SkipNode skip when IsPending(skip.NodeId):
                Emit(new NodeSkipped(ExecutionId, NextSequence, Stamp, skip.NodeId, skip.Reason));
                break;
            case ScheduleRetry retry:
                ArmTimer(_graph.IndexOf(retry.NodeId), retry.DueAt, retry.Attempt, isRetry: true);
                break;
            case ScheduleTimer timer:
                {
                    var index = _graph.IndexOf(timer.NodeId);
                    ArmTimer(index, timer.DueAt, _state.NodesByIndex[index].Attempt, isRetry: false);
                    break;
                }

            case CancelNode cancel:
                OnCancelNode(_graph.IndexOf(cancel.NodeId));
                break;
            case CompleteExecution complete:
                Emit(new ExecutionCompleted(ExecutionId, NextSequence, Stamp, complete.Outputs));
                break;
            case FailExecution fail:
                EndFailed(fail.Error, fail.NodeId);
                break;
            case CancelExecution:
                Emit(new ExecutionCancelled(ExecutionId, NextSequence, Stamp));
                break;
            default:
                break;
        }
    }

    private void OnStartNode(StartNode start)
    {
        if (_state.Status != ExecutionStatus.Running)
        {
            return;
        }

        var node = _state.NodesByIndex[start.NodeIndex];
        if (start.Resume)
        {
            if (node.Status == NodeStatus.Running && !_inFlight[start.NodeIndex])
            {
                BeginAttempt(start);
            }

            return;
        }

        if (node.Status != NodeStatus.Pending && !IsWaitingForRetry(node.NodeId, start.Attempt))
        {
            return;
        }

        Emit(new NodeStarted(ExecutionId, NextSequence, Stamp, start.NodeId, start.Attempt, start.Parameters));
        BeginAttempt(start);
    }

    /// <summary>
    /// Sleep nodes become durable timers and wait nodes inbox waits; everything else is dispatched, after the next
    /// append unless the executor is local (see <see cref="ILocalNode"/>).
    /// </summary>
    private void BeginAttempt(StartNode start)
    {
        var (executor, role) = BindExecutor(start.NodeIndex);
        if ((role & ExecutorRole.SignalWait) != 0)
        {
            BeginWait(start, (ISignalWaitNode)executor!);
            return;
        }

        if ((role & ExecutorRole.DurableTimer) != 0 && executor is IDurableTimerNode timer)
        {
            try
            {
                var due = timer.GetDueTime(start.Parameters, Now);
                Emit(new TimerScheduled(ExecutionId, NextSequence, Stamp, start.NodeId, due));
            }
            catch (NodeExecutionException ex)
            {
                RecordFailure(start.NodeIndex, start.Attempt, new ErrorInfo(ex.Code, ex.Message, ex.Details, ex.Retryable));
            }

            return;
        }

        _dispatchHasEffects |= (role & ExecutorRole.Local) == 0;
        _dispatch.Add(start);
    }

    private void OnCancelNode(int index)
    {
        var node = _state.NodesByIndex[index];
        if (node.Status == NodeStatus.Running && _inFlight[index])
        {
            // In-flight attempts share the execution's token; each reports back as cancelled.
            _cts.Cancel();
            return;
        }

        if (node.Status is NodeStatus.Running or NodeStatus.Waiting)
        {
            DisposeTimer(index);
            Emit(new NodeCancelled(ExecutionId, NextSequence, Stamp, node.NodeId, node.Attempt));
        }
    }

    /// <summary>Ends the execution as failed; nodes still active are recorded as cancelled first, without deciding on them.</summary>
    private void EndFailed(ErrorInfo error, string? nodeId)
    {
        _cts.Cancel();
        foreach (var node in _state.NodesByIndex)
        {
            if (node.Status is NodeStatus.Running or NodeStatus.Waiting)
            {
                DisposeTimer(node.Index);
                Emit(new NodeCancelled(ExecutionId, NextSequence, Stamp, node.NodeId, node.Attempt), decide: false);
            }
        }

        Emit(new ExecutionFailed(ExecutionId, NextSequence, Stamp, error, nodeId));
    }

    /// <summary>Records a failed attempt: a retry with its due time, or a final failure (with the continue/fallback output).</summary>
    private void RecordFailure(int index, int attempt, ErrorInfo error)
    {
        var nodeId = _graph.Nodes[index].Id;
        var now = Now;
        var resolution = _decider.ResolveFailure(_state, nodeId, attempt, error, now);
        Emit(new NodeFailed(ExecutionId, NextSequence, now, nodeId, attempt, resolution.Error, resolution.WillRetry, resolution.Output));
        if (resolution.WillRetry)
        {
            Emit(new NodeRetryScheduled(ExecutionId, NextSequence, now, nodeId, resolution.NextAttempt, resolution.DueAt));
        }
    }

    private void ArmTimer(int index, DateTimeOffset dueAt, int attempt, bool isRetry)
    {
        DisposeTimer(index);
        (_armedDue ??= [])[index] = dueAt;
        var delay = dueAt - Now;
        var message = new TimerDue(index, attempt, isRetry);
        if (delay <= TimeSpan.Zero)
        {
            Post(message);
            return;
        }

        (_timers ??= new ITimer?[_graph.Count])[index] = _time.CreateTimer(static s => { var (runner, m) = ((ExecutionRunner, TimerDue))s!; runner.Post(m); }, (this, message), delay, Timeout.InfiniteTimeSpan);
    }

    private void DisposeTimer(int index)
    {
        if (_timers is not null)
        {
            _timers[index]?.Dispose();
            _timers[index] = null;
        }

        _armedDue?.Remove(index);
    }

    private void OnTimerDue(TimerDue due)
    {
        DisposeTimer(due.NodeIndex);
        var node = _state.NodesByIndex[due.NodeIndex];
        if (_state.Status != ExecutionStatus.Running || node.Status != NodeStatus.Waiting)
        {
            return;
        }

        if (due.IsRetry && !node.WaitingOnTimer && node.Attempt + 1 == due.Attempt)
        {
            _decisions.Add(_decider.PrepareStart(_state, due.NodeIndex, due.Attempt));
        }
        else if (!due.IsRetry && node.WaitingOnTimer)
        {
            Emit(new TimerFired(ExecutionId, NextSequence, Stamp, node.NodeId));
            if (_graph.Nodes[due.NodeIndex].Kind == NodeKinds.Wait)
            {
                var signal = node.Parameters["signal"];
                RecordFailure(due.NodeIndex, node.Attempt, new ErrorInfo("timeout", $"Node '{node.NodeId}' waited for signal '{signal.AsString()}' past its timeout.", Retryable: false));
                return;
            }

            Emit(new NodeSucceeded(ExecutionId, NextSequence, Stamp, node.NodeId, node.Attempt, default));
        }
    }

    private bool IsPending(string nodeId) => _state.GetNode(nodeId)?.Status == NodeStatus.Pending;

    private bool IsWaitingForRetry(string nodeId, int attempt) =>
        _state.GetNode(nodeId) is { Status: NodeStatus.Waiting, WaitingOnTimer: false } node && node.Attempt + 1 == attempt;
}
