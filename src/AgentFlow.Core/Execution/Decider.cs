using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;

namespace AgentFlow.Core.Execution;

/// <summary>
/// Says what to do next. Pure: given the compiled graph, the state after an event was applied, and that event,
/// it returns decisions and touches nothing else (the clock is only read by expressions calling <c>now()</c>).
/// Each event examines only the nodes it affects, so a run costs O(nodes + edges) overall.
/// </summary>
public sealed partial class Decider
{
    private readonly CompiledGraph _graph;
    private readonly TimeProvider _time;

    /// <summary>Creates a decider for one compiled graph; <paramref name="time"/> only serves <c>now()</c> in expressions.</summary>
    public Decider(CompiledGraph graph, TimeProvider time)
    {
        _graph = graph ?? throw new ArgumentNullException(nameof(graph));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The graph this decider decides for.</summary>
    public CompiledGraph Graph => _graph;

    /// <summary>Decisions after <paramref name="applied"/> was folded into <paramref name="state"/>.</summary>
    public IReadOnlyList<Decision> Decide(ExecutionState state, ExecutionEvent applied)
    {
        var decisions = new List<Decision>();
        Decide(state, applied, decisions);
        return decisions;
    }

    /// <summary>Appends the decisions that follow <paramref name="applied"/> (allocation-free variant for the runtime).</summary>
    public void Decide(ExecutionState state, ExecutionEvent applied, List<Decision> decisions)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(decisions);

        // Half the events of a run are node starts, which decide nothing: answered before the type switch below.
        if (applied is NodeStarted || state.IsFinished)
        {
            return;
        }

        if (state.Status == ExecutionStatus.Paused)
        {
            // Nothing new starts while paused; ExecutionResumed rescans everything that became runnable meanwhile.
            return;
        }

        switch (applied)
        {
            case ExecutionStarted:
                if (_graph.Count == 0)
                {
                    Complete(state, decisions);
                    return;
                }

                foreach (var root in _graph.Roots)
                {
                    decisions.Add(PrepareStart(state, root, 1));
                }

                return;
            case NodeSucceeded e:
                OnResolved(state, state.NodeArray[IndexIn(state, e.NodeId)], decisions);
                return;
            case NodeFailed { WillRetry: false } e:
                OnResolved(state, state.NodeArray[IndexIn(state, e.NodeId)], decisions);
                return;
            case NodeSkipped e:
                OnResolved(state, state.NodeArray[IndexIn(state, e.NodeId)], decisions);
                return;
            case NodeCancelled e:
                OnResolved(state, state.NodeArray[IndexIn(state, e.NodeId)], decisions);
                return;
            case NodeRetryScheduled e when state.Status == ExecutionStatus.Running:
                decisions.Add(new ScheduleRetry(e.NodeId, e.NextAttempt, e.DueAt));
                return;
            case TimerScheduled e when state.Status == ExecutionStatus.Running:
                decisions.Add(new ScheduleTimer(e.NodeId, e.DueAt));
                return;
            case ExecutionCancelRequested:
                CancelActive(state, decisions);
                return;
            case ExecutionResumed or ExecutionRetried:
                ScanAll(state, decisions);
                return;
            default:
                return;
        }
    }

    /// <summary>
    /// Full scan used when resuming from a replayed log: re-dispatches started-but-unfinished attempts (same attempt,
    /// same parameters, so the same idempotency key), re-arms timers, and starts or skips nodes whose joins are settled.
    /// </summary>
    public IReadOnlyList<Decision> DecideAll(ExecutionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var decisions = new List<Decision>();
        ScanAll(state, decisions);
        return decisions;
    }

    private void ScanAll(ExecutionState state, List<Decision> decisions)
    {
        if (state.IsFinished || state.LastSequence == 0 || state.Status == ExecutionStatus.Paused)
        {
            return;
        }

        if (state.Status == ExecutionStatus.Cancelling)
        {
            CancelActive(state, decisions);
            return;
        }

        var before = decisions.Count;
        foreach (var node in state.NodeArray)
        {
            switch (node.Status)
            {
                case NodeStatus.Running:
                    decisions.Add(new StartNode(node.Index, node.NodeId, node.Attempt, node.Parameters, Resume: true));
                    break;
                case NodeStatus.Waiting when node.WaitingOnTimer:
                    decisions.Add(new ScheduleTimer(node.NodeId, node.DueAt ?? default));
                    break;
                case NodeStatus.Waiting:
                    decisions.Add(new ScheduleRetry(node.NodeId, node.Attempt + 1, node.DueAt ?? default));
                    break;
                case NodeStatus.Pending:
                    if (_graph.Incoming[node.Index].Length == 0)
                    {
                        decisions.Add(PrepareStart(state, node.Index, node.Attempt + 1));
                    }
                    else
                    {
                        SettleJoin(state, node, decisions);
                    }

                    break;
                case NodeStatus.Failed when _graph.Nodes[node.Index].OnError == ErrorStrategy.Fail:
                    decisions.RemoveRange(before, decisions.Count - before);
                    decisions.Add(new FailExecution(node.Error!, node.NodeId));
                    return;
                default:
                    break;
            }
        }

        if (decisions.Count == before && state.ResolvedNodes == _graph.Count)
        {
            Complete(state, decisions);
        }
    }

    // The state remembers the node its fold just looked up, which is the node the event names.
    private int IndexIn(ExecutionState state, string nodeId) =>
        ReferenceEquals(state.Graph, _graph) ? state.IndexOf(nodeId) : _graph.IndexOf(nodeId);

    private void OnResolved(ExecutionState state, NodeState node, List<Decision> decisions)
    {
        if (state.Status == ExecutionStatus.Cancelling)
        {
            if (state.ActiveNodes == 0)
            {
                decisions.Add(CancelExecution.Instance);
            }

            return;
        }

        var definition = _graph.Nodes[node.Index];
        if (node.Status == NodeStatus.Failed && definition.OnError == ErrorStrategy.Fail)
        {
            decisions.Add(new FailExecution(node.Error!, node.NodeId));
            return;
        }

        if (node.Status == NodeStatus.Succeeded && _graph.IsControl[node.Index])
        {
            var before = decisions.Count;
            EndItemEarly(state, node, decisions);
            if (decisions.Count == before && state.ResolvedNodes == _graph.Count && state.ActiveNodes == 0)
            {
                Complete(state, decisions);
            }

            return;
        }

        var successors = _graph.Successors[node.Index];
        var groups = _graph.SuccessorEdges[node.Index];
        for (var k = 0; k < successors.Length; k++)
        {
            var target = state.NodeArray[successors[k]];
            if (target.Status != NodeStatus.Pending)
            {
                continue;
            }

            // Join any: one taken edge from the node that just resolved is enough.
            if (_graph.Nodes[target.Index].Join == JoinMode.Any && AnyEdgeTaken(state, target, groups[k], decisions, out var failed))
            {
                if (!failed)
                {
                    decisions.Add(PrepareStart(state, target.Index, target.Attempt + 1));
                }

                continue;
            }

            if (target.UnresolvedIncoming == 0)
            {
                SettleJoin(state, target, decisions);
            }
        }

        if (state.ResolvedNodes == _graph.Count && state.ActiveNodes == 0)
        {
            Complete(state, decisions);
        }
    }

    /// <summary>True when one of <paramref name="edges"/> is taken, or when evaluating one failed (then the target fails).</summary>
    private bool AnyEdgeTaken(ExecutionState state, NodeState target, int[] edges, List<Decision> decisions, out bool failed)
    {
        failed = false;
        foreach (var edge in edges)
        {
            var taken = EdgeTaken(state, edge, out var error);
            if (error is not null)
            {
                decisions.Add(new FailNode(target.NodeId, target.Attempt + 1, default, error));
                failed = true;
                return true;
            }

            if (taken)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Looks at every incoming edge of a pending node once its predecessors allow a verdict.</summary>
    private void SettleJoin(ExecutionState state, NodeState target, List<Decision> decisions)
    {
        var incoming = _graph.Incoming[target.Index];
        var anyTaken = false;
        var allSourcesSkipped = true;
        foreach (var edge in incoming)
        {
            var source = state.NodeArray[_graph.Edges[edge].From];
            if (!source.IsResolved)
            {
                if (_graph.Nodes[target.Index].Join == JoinMode.All)
                {
                    return;
                }

                allSourcesSkipped = false;
                continue;
            }

            allSourcesSkipped &= source.Status == NodeStatus.Skipped;
            anyTaken |= EdgeTaken(state, edge, out var error);
            if (error is not null)
            {
                decisions.Add(new FailNode(target.NodeId, target.Attempt + 1, default, error));
                return;
            }
        }

        if (anyTaken)
        {
            decisions.Add(PrepareStart(state, target.Index, target.Attempt + 1));
        }
        else if (target.UnresolvedIncoming == 0)
        {
            decisions.Add(new SkipNode(target.NodeId, allSourcesSkipped ? "all predecessors were skipped" : "no incoming edge was taken"));
        }
    }

    private static void CancelActive(ExecutionState state, List<Decision> decisions)
    {
        var before = decisions.Count;
        foreach (var node in state.NodeArray)
        {
            if (node.Status is NodeStatus.Running or NodeStatus.Waiting)
            {
                decisions.Add(new CancelNode(node.NodeId));
            }
        }

        if (decisions.Count == before)
        {
            decisions.Add(CancelExecution.Instance);
        }
    }

    /// <summary>
    /// A break or continue node ended a map item: nodes not started yet are skipped. Siblings already running in
    /// parallel are left to finish, because cancelling them would need a token per node on the hot path.
    /// </summary>
    private static void EndItemEarly(ExecutionState state, NodeState control, List<Decision> decisions)
    {
        foreach (var node in state.NodeArray)
        {
            if (node.Status == NodeStatus.Pending)
            {
                decisions.Add(new SkipNode(node.NodeId, $"item ended by '{control.NodeId}'"));
            }
        }
    }
}
