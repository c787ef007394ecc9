using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

/// <summary>The fold and the decider for ExecutionPaused, ExecutionResumed and ExecutionRetried.</summary>
public sealed class ControlDeciderTests
{
    private static readonly ErrorInfo Boom = new("boom", "x");

    private static DeciderSim Chain(RetryPolicy? retry = null) =>
        new(new WorkflowBuilder("w")
            .Node("a", "noop")
            .Node("b", "noop", needs: ["a"], configure: n => retry is null ? n : n with { Retry = retry })
            .Node("c", "noop", needs: ["b"])
            .Build());

    [Fact]
    public void Decide_PausedWhileNodeRuns_SuccessorWaitsForResume()
    {
        var sim = Chain();
        var start = Assert.IsType<StartNode>(Assert.Single(sim.Start()));
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, start.Parameters));

        var onPause = sim.Apply(new ExecutionPaused(sim.ExecutionId, sim.Next, sim.Now, "why"));
        var onFinish = sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.Null));
        var state = sim.State;

        Assert.Empty(onPause);
        Assert.Empty(onFinish);
        Assert.Equal(ExecutionStatus.Paused, state.Status);
        Assert.False(state.IsFinished);
        Assert.Empty(sim.Decider.DecideAll(state));

        var onResume = sim.Apply(new ExecutionResumed(sim.ExecutionId, sim.Next, sim.Now));

        Assert.Equal(ExecutionStatus.Running, sim.State.Status);
        Assert.Equal(("b", 1), Assert.IsType<StartNode>(Assert.Single(onResume)) is var s ? (s.NodeId, s.Attempt) : default);
        sim.Drain(new Queue<Decision>(onResume));
        Assert.Equal(ExecutionStatus.Succeeded, sim.State.Status);
    }

    [Fact]
    public void Decide_EverythingEndedWhilePaused_CompletesOnlyOnResume()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "noop").Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.Null));
        sim.Apply(new ExecutionPaused(sim.ExecutionId, sim.Next, sim.Now));

        Assert.Empty(sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.Null)));
        Assert.IsType<CompleteExecution>(Assert.Single(sim.Apply(new ExecutionResumed(sim.ExecutionId, sim.Next, sim.Now))));
    }

    [Fact]
    public void Decide_RetryDueWhilePaused_TimerArmedOnlyOnResume()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "noop", configure: n => n with { Retry = RetryPolicy.None with { MaxAttempts = 2 } }).Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.Null));
        sim.Apply(new ExecutionPaused(sim.ExecutionId, sim.Next, sim.Now));

        var whilePaused = sim.Fail("a", 1, Boom with { Retryable = true });
        var onResume = sim.Apply(new ExecutionResumed(sim.ExecutionId, sim.Next, sim.Now));

        Assert.Empty(whilePaused);
        Assert.Equal(NodeStatus.Waiting, sim.StatusOf("a"));
        Assert.Equal(2, Assert.IsType<ScheduleRetry>(Assert.Single(onResume)).Attempt);
    }

    [Fact]
    public void Decide_Paused_CancelStillCancels()
    {
        var sim = Chain();
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.Null));
        sim.Apply(new ExecutionPaused(sim.ExecutionId, sim.Next, sim.Now));

        var decisions = sim.Apply(new ExecutionCancelRequested(sim.ExecutionId, sim.Next, sim.Now));

        Assert.Equal("a", Assert.IsType<CancelNode>(Assert.Single(decisions)).NodeId);
        Assert.Equal(ExecutionStatus.Cancelling, sim.State.Status);
    }

    [Fact]
    public void Retry_FailedMiddleNode_ReopensItWithNextAttemptAndKeepsCompletedNodes()
    {
        var sim = Chain();
        sim.Outcome = (node, attempt) => node == "b" && attempt == 1 ? Boom : null;
        Assert.Equal(ExecutionStatus.Failed, sim.RunToEnd().Status);

        var plan = sim.Decider.PlanRetry(sim.State);
        var decisions = sim.Apply(new ExecutionRetried(sim.ExecutionId, sim.Next, sim.Now, plan));

        Assert.Equal(["b"], plan);
        Assert.Equal((ExecutionStatus.Running, null, null), (sim.State.Status, sim.State.Error, sim.State.FinishedAt));
        Assert.Equal((1, 1), (sim.State.GetNode("b")!.Attempt, sim.State.GetNode("b")!.AttemptBase));
        var start = Assert.IsType<StartNode>(Assert.Single(decisions));
        Assert.Equal(("b", 2), (start.NodeId, start.Attempt));

        sim.Drain(new Queue<Decision>(decisions));

        Assert.Equal(ExecutionStatus.Succeeded, sim.State.Status);
        Assert.Single(sim.Log, e => e is NodeStarted { NodeId: "a" });
        Assert.Equal([1, 2], sim.Log.OfType<NodeStarted>().Where(e => e.NodeId == "b").Select(e => e.Attempt));
    }

    [Fact]
    public void Retry_RetriedNode_GetsItsWholeRetryBudgetAgain()
    {
        var sim = Chain(RetryPolicy.None with { MaxAttempts = 2 });
        sim.Outcome = (node, attempt) => node == "b" && attempt <= 3 ? Boom with { Retryable = true } : null;
        Assert.Equal(ExecutionStatus.Failed, sim.RunToEnd().Status);

        var decisions = sim.Apply(new ExecutionRetried(sim.ExecutionId, sim.Next, sim.Now, sim.Decider.PlanRetry(sim.State)));
        sim.Drain(new Queue<Decision>(decisions));

        Assert.Equal(ExecutionStatus.Succeeded, sim.State.Status);
        Assert.Equal([1, 2, 3, 4], sim.Log.OfType<NodeStarted>().Where(e => e.NodeId == "b").Select(e => e.Attempt));
    }

    [Fact]
    public void PlanRetry_CancelledSiblingAndNodesSkippedBehindIt_Reopened()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("a", "noop")
            .Node("b", "noop")
            .Node("c", "noop", needs: ["b"])
            .Node("ok", "noop")
            .Build());
        var id = sim.ExecutionId;
        sim.Start();
        sim.Apply(new NodeStarted(id, sim.Next, sim.Now, "ok", 1, Value.Null));
        sim.Apply(new NodeSucceeded(id, sim.Next, sim.Now, "ok", 1, Value.Null));
        sim.Apply(new NodeStarted(id, sim.Next, sim.Now, "a", 1, Value.Null));
        sim.Apply(new NodeStarted(id, sim.Next, sim.Now, "b", 1, Value.Null));
        sim.Apply(new NodeFailed(id, sim.Next, sim.Now, "a", 1, Boom, false));
        sim.Apply(new NodeCancelled(id, sim.Next, sim.Now, "b", 1));
        sim.Apply(new NodeSkipped(id, sim.Next, sim.Now, "c", "all predecessors were skipped"));
        sim.Apply(new ExecutionFailed(id, sim.Next, sim.Now, Boom, "a"));

        var plan = sim.Decider.PlanRetry(sim.State);
        var decisions = sim.Apply(new ExecutionRetried(id, sim.Next, sim.Now, plan));

        Assert.Equal(["a", "b", "c"], plan);
        Assert.Equal(["a", "b"], decisions.OfType<StartNode>().Select(d => d.NodeId).Order());
        Assert.Equal(2, decisions.OfType<StartNode>().Single(d => d.NodeId == "b").Attempt);
        Assert.Equal(NodeStatus.Pending, sim.StatusOf("c"));
        Assert.Equal(NodeStatus.Succeeded, sim.StatusOf("ok"));
        sim.Drain(new Queue<Decision>(decisions));
        Assert.Equal(ExecutionStatus.Succeeded, sim.State.Status);
        Assert.Equal(1, sim.State.GetNode("c")!.Attempt);
    }

    [Fact]
    public void PlanRetry_NotFailed_Throws()
    {
        var sim = Chain();
        sim.RunToEnd();

        var error = Assert.Throws<InvalidOperationException>(() => sim.Decider.PlanRetry(sim.State));

        Assert.Contains("only a failed execution can be retried", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RetriedOrResumedInWrongState_ChangesNothing()
    {
        var sim = Chain();
        sim.RunToEnd();

        sim.Apply(new ExecutionRetried(sim.ExecutionId, sim.Next, sim.Now, ["b"]));
        sim.Apply(new ExecutionResumed(sim.ExecutionId, sim.Next, sim.Now));
        sim.Apply(new ExecutionPaused(sim.ExecutionId, sim.Next, sim.Now));

        Assert.Equal(ExecutionStatus.Succeeded, sim.State.Status);
        Assert.Equal(NodeStatus.Succeeded, sim.StatusOf("b"));
    }
}
