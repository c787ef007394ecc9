using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

public sealed class ExecutionStateResetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A log that leaves marks everywhere: a retry, a variable, a signal, a child scope, a node still running.</summary>
    private static List<ExecutionEvent> Busy() =>
    [
        new ExecutionStarted("first", 1, T0, "diamond", 3, Value.Object(("n", 1)), "parent", "each", Value.Object(("item", "x"), ("index", 0))) { SecretInputs = ["n"] },
        new NodeStarted("first", 2, T0, "a", 1, Value.Object(("v", 1))),
        new NodeFailed("first", 3, T0, "a", 1, new ErrorInfo("boom", "failed once"), WillRetry: true),
        new NodeRetryScheduled("first", 4, T0, "a", 2, T0.AddSeconds(5)),
        new NodeStarted("first", 5, T0.AddSeconds(5), "a", 2, Value.Object(("v", 1))),
        new NodeSucceeded("first", 6, T0.AddSeconds(6), "a", 2, Value.Object(("v", 1))),
        new VariablesAssigned("first", 7, T0.AddSeconds(6), "a", Value.Object(("count", 5), ("extra", true))),
        new SignalReceived("first", 8, T0.AddSeconds(7), "b", "go", Value.Null, 42),
        new NodeStarted("first", 9, T0.AddSeconds(7), "b", 1, Value.Object(("v", 2))),
    ];

    [Fact]
    public void Reset_AfterAnotherLog_FoldsNextLogExactlyAsAFreshState()
    {
        var sim = new DeciderSim(ReplayTests.Diamond(), "second");
        sim.RunToEnd(Value.Object(("n", 2)));
        var reused = new ExecutionState(sim.Graph);
        var first = Busy();
        first.ForEach(reused.Apply);
        _ = reused.ExecutionValue;
        _ = reused.VariablesValue;
        _ = reused.Nodes;
        _ = reused.NodesByIndex[0].ToScopeValue();

        reused.Reset(sim.Graph);
        sim.Log.ForEach(reused.Apply);
        var fresh = ExecutionState.Replay(sim.Log, sim.Graph);

        Assert.Equal(
            (fresh.ExecutionId, fresh.WorkflowId, fresh.WorkflowVersion, fresh.Status, fresh.Inputs, fresh.Scope, fresh.ParentExecutionId, fresh.ParentNodeId),
            (reused.ExecutionId, reused.WorkflowId, reused.WorkflowVersion, reused.Status, reused.Inputs, reused.Scope, reused.ParentExecutionId, reused.ParentNodeId));
        Assert.Equal((fresh.StartedAt, fresh.FinishedAt, fresh.Outputs, fresh.Error, fresh.LastSequence, fresh.ActiveNodes, fresh.ResolvedNodes), (reused.StartedAt, reused.FinishedAt, reused.Outputs, reused.Error, reused.LastSequence, reused.ActiveNodes, reused.ResolvedNodes));
        Assert.Empty(reused.SecretInputs);
        Assert.Empty(reused.DeliveredSignals);
        Assert.Equal(fresh.VariablesValue, reused.VariablesValue);
        Assert.Equal(Value.Object(("count", 0)), reused.VariablesValue);
        Assert.Equal(fresh.ExecutionValue, reused.ExecutionValue);
        foreach (var node in fresh.NodesByIndex)
        {
            var other = reused.Nodes[node.NodeId];
            Assert.Same(other, reused.NodesByIndex[node.Index]);
            Assert.Equal(
                (node.Status, node.Attempt, node.AttemptBase, node.Parameters, node.Output, node.Error, node.Branch, node.SkipReason),
                (other.Status, other.Attempt, other.AttemptBase, other.Parameters, other.Output, other.Error, other.Branch, other.SkipReason));
            Assert.Equal((node.StartedAt, node.FinishedAt, node.DueAt, node.WaitingOnTimer, node.UnresolvedIncoming), (other.StartedAt, other.FinishedAt, other.DueAt, other.WaitingOnTimer, other.UnresolvedIncoming));
            Assert.Equal(node.ToScopeValue(), other.ToScopeValue());
        }
    }

    [Fact]
    public void Reset_MidwayState_DecidesTheNextStartLikeANewState()
    {
        var graph = CompiledGraph.Compile(ReplayTests.Diamond());
        var state = new ExecutionState(graph);
        Busy().ForEach(state.Apply);

        state.Reset(graph);
        var started = new ExecutionStarted("next", 1, T0, "diamond", 1, Value.EmptyObject);
        state.Apply(started);
        var decisions = new Decider(graph, TimeProvider.System).Decide(state, started);

        var start = Assert.IsType<StartNode>(Assert.Single(decisions));
        Assert.Equal(("a", 1, Value.Object(("v", 1))), (start.NodeId, start.Attempt, start.Parameters));
        Assert.Equal((ExecutionStatus.Running, 0, 0), (state.Status, state.ActiveNodes, state.ResolvedNodes));
        Assert.All(state.NodesByIndex, n => Assert.Equal(NodeStatus.Pending, n.Status));
        Assert.Equal(2, state.NodesByIndex[graph.IndexOf("d")].UnresolvedIncoming);
    }

    [Fact]
    public void Reset_ThenApplyOutOfSequence_StillRefused()
    {
        var graph = CompiledGraph.Compile(ReplayTests.Diamond());
        var state = new ExecutionState(graph);
        Busy().ForEach(state.Apply);

        state.Reset(graph);

        Assert.Throws<InvalidOperationException>(() => state.Apply(new NodeStarted("first", 10, T0, "c", 1, default)));
    }

    [Fact]
    public void ResetToGraph_AnotherBodyOfAsManyNodes_FoldsItsLogExactlyAsAFreshState()
    {
        // A diamond's state, dirtied, then serving a chain of four other ids with other join counters (reused node objects).
        var diamond = CompiledGraph.Compile(ReplayTests.Diamond());
        var state = new ExecutionState(diamond);
        Busy().ForEach(state.Apply);
        _ = state.Nodes;
        var nodeObjects = state.NodesByIndex.ToArray();
        var sim = new DeciderSim(
            new WorkflowBuilder("chain")
                .Node("w", "transform", with: Value.Object(("v", 1)))
                .Node("x", "transform", with: Value.Object(("v", 2)), needs: ["w"])
                .Node("y", "transform", with: Value.Object(("v", 3)), needs: ["x"])
                .Node("z", "noop", needs: ["y"])
                .Build(),
            "second");
        sim.RunToEnd(Value.EmptyObject);

        state.Reset(sim.Graph);
        sim.Log.ForEach(state.Apply);
        var fresh = ExecutionState.Replay(sim.Log, sim.Graph);

        Assert.Same(sim.Graph, state.Graph);
        Assert.Equal(nodeObjects, state.NodesByIndex);
        Assert.Equal((fresh.Status, fresh.Outputs, fresh.VariablesValue, fresh.ResolvedNodes), (state.Status, state.Outputs, state.VariablesValue, state.ResolvedNodes));
        Assert.Equal(["w", "x", "y", "z"], state.NodesByIndex.Select(n => n.NodeId));
        Assert.Null(state.GetNode("a"));
        foreach (var node in fresh.NodesByIndex)
        {
            var other = state.Nodes[node.NodeId];
            Assert.Same(other, state.GetNode(node.NodeId));
            Assert.Equal((node.Status, node.Attempt, node.Output, node.UnresolvedIncoming), (other.Status, other.Attempt, other.Output, other.UnresolvedIncoming));
            Assert.Equal(node.ToScopeValue(), other.ToScopeValue());
        }
    }

    [Fact]
    public void ResetToGraph_OfOtherSize_StartsItsRootsLikeANewState()
    {
        var state = new ExecutionState(CompiledGraph.Compile(ReplayTests.Diamond()));
        Busy().ForEach(state.Apply);
        var graph = CompiledGraph.Compile(new WorkflowBuilder("one").Node("only", "noop").Build());

        state.Reset(graph);
        var started = new ExecutionStarted("next", 1, T0, "one", 1, Value.EmptyObject);
        state.Apply(started);
        var decisions = new Decider(graph, TimeProvider.System).Decide(state, started);

        Assert.Equal("only", Assert.IsType<StartNode>(Assert.Single(decisions)).NodeId);
        Assert.Equal("only", Assert.Single(state.NodesByIndex).NodeId);
    }
}
