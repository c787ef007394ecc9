using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

public sealed class ReplayTests
{
    internal static WorkflowDefinition Diamond() => new WorkflowBuilder("diamond")
        .Variable("count", 0)
        .Node("a", "transform", with: Value.Object(("v", 1)))
        .Node("b", "transform", with: Value.Object(("v", 2)), needs: ["a"])
        .Node("c", "transform", with: Value.Object(("v", 3)), needs: ["a"])
        .Node("d", "noop", needs: ["b", "c"])
        .Build();

    [Fact]
    public void Replay_FinishedLog_RebuildsIdenticalState()
    {
        var sim = new DeciderSim(DeciderTests.ConditionWorkflow(JoinMode.All));
        var original = sim.RunToEnd(Value.Object(("n", 20)));

        var replayed = ExecutionState.Replay(sim.Log, sim.Graph);

        Assert.Equal(ExecutionReport.FromEvents(sim.Log).ToJson(), Snapshot(replayed, sim.Log));
        Assert.Equal(original.Status, replayed.Status);
        Assert.Equal(original.Outputs, replayed.Outputs);
        Assert.Equal(original.LastSequence, replayed.LastSequence);
        foreach (var node in original.NodesByIndex)
        {
            var other = replayed.GetNode(node.NodeId)!;
            Assert.Equal((node.Status, node.Attempt, node.Output, node.Branch, node.StartedAt, node.FinishedAt), (other.Status, other.Attempt, other.Output, other.Branch, other.StartedAt, other.FinishedAt));
        }
    }

    [Fact]
    public void DecideAll_HalfFinishedLog_RedispatchesExactlyStartedButUnfinishedNodes()
    {
        var sim = new DeciderSim(Diamond());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.Object(("v", 1))));
        sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.Object(("v", 1))));
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "b", 1, Value.Object(("v", 2))));
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "c", 1, Value.Object(("v", 3))));
        sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "b", 1, Value.Object(("v", 2))));

        var state = ExecutionState.Replay(sim.Log, sim.Graph);
        var decisions = new Decider(sim.Graph, sim.Time).DecideAll(state);

        var start = Assert.IsType<StartNode>(Assert.Single(decisions));
        Assert.Equal(("c", 1, true), (start.NodeId, start.Attempt, start.Resume));
        Assert.Equal(Value.Object(("v", 3)), start.Parameters);
    }

    [Fact]
    public void DecideAll_WaitingOnRetry_ReschedulesAtRecordedDueTime()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "noop", configure: n => n with { Retry = new RetryPolicy(3, BackoffKind.Fixed, TimeSpan.FromSeconds(7), 1, null, 0, []) }).Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, default));
        sim.Fail("a", 1, new ErrorInfo("x", "y", Retryable: true));

        var decisions = new Decider(sim.Graph, sim.Time).DecideAll(ExecutionState.Replay(sim.Log, sim.Graph));

        var retry = Assert.IsType<ScheduleRetry>(Assert.Single(decisions));
        Assert.Equal((2, sim.Now + TimeSpan.FromSeconds(7)), (retry.Attempt, retry.DueAt));
        Assert.Equal("a", Assert.Single(sim.State.PendingTimers).NodeId);
    }

    [Fact]
    public void DecideAll_AllNodesDoneButNotCompleted_CompletesExecution()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "transform", with: Value.Object(("v", 1))).Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, default));
        sim.State.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "a", 1, 5));
        sim.Log.Add(new NodeSucceeded(sim.ExecutionId, sim.Log.Count + 1, sim.Now, "a", 1, 5));

        var decisions = new Decider(sim.Graph, sim.Time).DecideAll(ExecutionState.Replay(sim.Log, sim.Graph));

        Assert.Equal(Value.Object(("a", 5)), Assert.IsType<CompleteExecution>(Assert.Single(decisions)).Outputs);
    }

    [Fact]
    public void Apply_OutOfSequence_Throws()
    {
        var state = new ExecutionState();
        state.Apply(new ExecutionStarted("e", 1, default, "w", 1, Value.EmptyObject));

        Assert.Throws<InvalidOperationException>(() => state.Apply(new NodeStarted("e", 3, default, "a", 1, default)));
    }

    [Fact]
    public void Apply_StartOfResolvedNode_Throws()
    {
        var state = new ExecutionState();
        state.Apply(new ExecutionStarted("e", 1, default, "w", 1, Value.EmptyObject));
        state.Apply(new NodeSkipped("e", 2, default, "a", "x"));

        Assert.Throws<InvalidOperationException>(() => state.Apply(new NodeStarted("e", 3, default, "a", 1, default)));
    }

    private static string Snapshot(ExecutionState state, IReadOnlyList<ExecutionEvent> log)
    {
        Assert.True(state.IsFinished);
        return ExecutionReport.FromEvents(log).ToJson();
    }
}
