using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Core.Tests.Execution;

public sealed class DeciderEdgeTests
{
    [Fact]
    public void RunToEnd_EdgeWhenFailsToEvaluate_TargetFailsWithExpressionCode()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("a", "noop")
            .Node("b", "noop").Edge("a", "b", when: "nodes.nope.output")
            .Build());

        var state = sim.RunToEnd();

        Assert.Equal(("expression", "b"), (state.Error!.Code, state.FailedNodeId));
        Assert.Contains("edge from 'a'", state.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ExecutionCancelRequested_CancelsActiveNodesThenEnds()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "noop").Node("b", "noop").Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, default));

        var decisions = sim.Apply(new ExecutionCancelRequested(sim.ExecutionId, sim.Next, sim.Now));
        Assert.Equal("a", Assert.IsType<CancelNode>(Assert.Single(decisions)).NodeId);

        var after = sim.Apply(new NodeCancelled(sim.ExecutionId, sim.Next, sim.Now, "a", 1));
        Assert.IsType<CancelExecution>(Assert.Single(after));
    }

    [Fact]
    public void Decide_EmptyWorkflow_CompletesAtOnce()
    {
        var sim = new DeciderSim(new WorkflowBuilder("empty").Build());

        Assert.IsType<CompleteExecution>(Assert.Single(sim.Start()));
    }

    [Fact]
    public void Decide_JoinAnyFirstPredecessorSucceeds_StartsWithoutWaitingForOthers()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("fast", "noop").Node("slow", "noop")
            .Node("first", "noop", needs: ["fast", "slow"], configure: n => n with { Join = Definitions.JoinMode.Any })
            .Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "fast", 1, default));
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "slow", 1, default));

        var decisions = sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "fast", 1, default));

        Assert.Equal("first", Assert.IsType<StartNode>(Assert.Single(decisions)).NodeId);
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "first", 1, default));
        Assert.Empty(sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "slow", 1, default)));
    }
}
