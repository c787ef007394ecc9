using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

public sealed class DeciderTests
{
    [Fact]
    public void Decide_ExecutionStarted_StartsOnlyRoots()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "noop").Node("b", "noop").Node("c", "noop", needs: ["a", "b"]).Build());

        var decisions = sim.Start();

        Assert.Equal(["a", "b"], decisions.OfType<StartNode>().Select(d => d.NodeId));
        Assert.All(decisions.OfType<StartNode>(), d => Assert.Equal(1, d.Attempt));
    }

    [Fact]
    public void Decide_ChainNodeSucceeded_StartsOnlyTheNextNode()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "noop").Node("b", "noop", needs: ["a"]).Node("c", "noop", needs: ["b"]).Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.EmptyObject));

        var decisions = sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "a", 1, 1));

        var start = Assert.IsType<StartNode>(Assert.Single(decisions));
        Assert.Equal("b", start.NodeId);
    }

    [Fact]
    public void Decide_ParametersReferenceUpstreamOutput_ResolvedAtStart()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("a", "noop")
            .Node("b", "transform", with: Value.Object(("x", "${{ nodes.a.output + 1 }}"), ("who", "hi ${{ inputs.name }}")), needs: ["a"])
            .Build());
        sim.Start(Value.Object(("name", "bob")));
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, Value.EmptyObject));

        var start = Assert.IsType<StartNode>(Assert.Single(sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "a", 1, 41))));

        Assert.Equal(Value.Object(("x", 42), ("who", "hi bob")), start.Parameters);
    }

    [Fact]
    public void Decide_FanIn_StartsJoinOnlyAfterLastPredecessor()
    {
        var builder = new WorkflowBuilder("w").Node("root", "noop");
        var branches = Enumerable.Range(0, 5).Select(i => $"b{i}").ToArray();
        foreach (var b in branches)
        {
            builder.Node(b, "noop", needs: ["root"]);
        }

        var sim = new DeciderSim(builder.Node("join", "noop", needs: branches).Build());
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "root", 1, default));
        Assert.Equal(branches, sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, "root", 1, default)).OfType<StartNode>().Select(s => s.NodeId));
        foreach (var b in branches)
        {
            sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, b, 1, default));
        }

        for (var i = 0; i < branches.Length - 1; i++)
        {
            Assert.Empty(sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, branches[i], 1, default)));
        }

        var last = sim.Apply(new NodeSucceeded(sim.ExecutionId, sim.Next, sim.Now, branches[^1], 1, default));
        Assert.Equal("join", Assert.IsType<StartNode>(Assert.Single(last)).NodeId);
    }

    [Fact]
    public void RunToEnd_ChainWithoutOutputs_CompletesWithSinkOutputs()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "transform", with: Value.Object(("v", 1))).Node("b", "transform", with: Value.Object(("v", "${{ nodes.a.output.v * 2 }}")), needs: ["a"]).Build());

        var state = sim.RunToEnd();

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Equal(Value.Object(("b", Value.Object(("v", 2)))), state.Outputs);
    }

    [Fact]
    public void RunToEnd_DeclaredOutputs_EvaluatedAtCompletion()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Input("n", DataType.Number).Node("a", "transform", with: Value.Object(("v", "${{ inputs.n }}"))).Output("result", "${{ nodes.a.output.v * 10 }}").Build());

        var state = sim.RunToEnd(Value.Object(("n", 4)));

        Assert.Equal(Value.Object(("result", 40)), state.Outputs);
    }

    [Theory]
    [InlineData(15, "high", "low")]
    [InlineData(5, "low", "high")]
    public void RunToEnd_Condition_RunsChosenBranchAndSkipsTheOther(int n, string ran, string skipped)
    {
        var sim = new DeciderSim(ConditionWorkflow(JoinMode.All));

        var state = sim.RunToEnd(Value.Object(("n", n)));

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Equal(NodeStatus.Succeeded, sim.StatusOf(ran));
        Assert.Equal(NodeStatus.Skipped, sim.StatusOf(skipped));
        Assert.Equal(NodeStatus.Succeeded, sim.StatusOf("join"));
        Assert.Equal(ran == "high" ? "high" : "low", state.GetNode("route")!.Branch);
        Assert.Equal(Value.Object(("branch", ran == "high" ? "high" : "low")), state.GetNode("route")!.Output);
    }

    [Fact]
    public void RunToEnd_JoinAnyAfterSkippedBranch_RunsOnce()
    {
        var sim = new DeciderSim(ConditionWorkflow(JoinMode.Any));

        var state = sim.RunToEnd(Value.Object(("n", 15)));

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Equal(NodeStatus.Succeeded, sim.StatusOf("join"));
        Assert.Single(sim.Log.OfType<NodeStarted>(), e => e.NodeId == "join");
    }

    [Fact]
    public void RunToEnd_JoinAllWhenEveryIncomingEdgeNotTaken_SkipsAndPropagates()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Input("n", DataType.Number)
            .Condition("route", null, ("high", "inputs.n > 10"))
            .Node("a", "noop", needs: [])
            .Edge("route", "a", branch: "high")
            .Node("b", "noop", needs: ["a"])
            .Node("c", "noop", needs: ["b"])
            .Build());

        var state = sim.RunToEnd(Value.Object(("n", 1)));

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Null(state.GetNode("route")!.Branch);
        Assert.All(["a", "b", "c"], id => Assert.Equal(NodeStatus.Skipped, sim.StatusOf(id)));
        Assert.Equal("all predecessors were skipped", state.GetNode("c")!.SkipReason);
    }

    [Theory]
    [InlineData("red", "r")]
    [InlineData("green", "g")]
    [InlineData("blue", "other")]
    public void RunToEnd_Switch_FirstMatchingCaseElseDefault(string color, string ran)
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Input("color", DataType.String)
            .Node("pick", "switch", configure: n => n with
            {
                Branches =
                [
                    new BranchDefinition("red", WorkflowBuilder.Parse("inputs.color == 'red'"), Diagnostics.SourceLocation.Unknown),
                    new BranchDefinition("other", null, Diagnostics.SourceLocation.Unknown),
                    new BranchDefinition("green", WorkflowBuilder.Parse("inputs.color == 'green'"), Diagnostics.SourceLocation.Unknown),
                ],
            })
            .Node("r", "noop").Edge("pick", "r", branch: "red")
            .Node("g", "noop").Edge("pick", "g", branch: "green")
            .Node("other", "noop").Edge("pick", "other", branch: "other")
            .Build());

        sim.RunToEnd(Value.Object(("color", color)));

        foreach (var id in new[] { "r", "g", "other" })
        {
            Assert.Equal(id == ran ? NodeStatus.Succeeded : NodeStatus.Skipped, sim.StatusOf(id));
        }
    }

    [Fact]
    public void RunToEnd_EdgeWhenFalse_EdgeNotTaken()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("a", "transform", with: Value.Object(("ok", false)))
            .Node("yes", "noop").Edge("a", "yes", when: "nodes.a.output.ok")
            .Node("no", "noop").Edge("a", "no", when: "!nodes.a.output.ok")
            .Build());

        sim.RunToEnd();

        Assert.Equal(NodeStatus.Skipped, sim.StatusOf("yes"));
        Assert.Equal(NodeStatus.Succeeded, sim.StatusOf("no"));
    }

    [Fact]
    public void RunToEnd_ParameterExpressionFails_NodeFailsWithExpressionCode()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "transform", with: Value.Object(("x", "${{ nodes.missing.output }}"))).Build());

        var state = sim.RunToEnd();

        Assert.Equal(ExecutionStatus.Failed, state.Status);
        Assert.Equal("expression", state.Error!.Code);
        Assert.Contains("'a'", state.Error.Message, StringComparison.Ordinal);
        Assert.Equal("a", state.FailedNodeId);
    }

    [Fact]
    public void RunToEnd_FailStrategy_FailsWorkflow()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w").Node("a", "noop").Node("b", "noop", needs: ["a"]).Build())
        {
            Outcome = (id, _) => id == "a" ? new ErrorInfo("boom", "it broke") : null,
        };

        var state = sim.RunToEnd();

        Assert.Equal(ExecutionStatus.Failed, state.Status);
        Assert.Equal("boom", state.Error!.Code);
        Assert.Equal(NodeStatus.Pending, sim.StatusOf("b"));
    }

    [Fact]
    public void RunToEnd_ContinueStrategy_SuccessorsRunWithNullOutput()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("a", "noop", configure: n => n with { OnError = ErrorStrategy.Continue })
            .Node("b", "transform", with: Value.Object(("saw", "${{ nodes.a.status }}")), needs: ["a"])
            .Build())
        {
            Outcome = (id, _) => id == "a" ? new ErrorInfo("boom", "it broke") : null,
        };

        var state = sim.RunToEnd();

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Equal(NodeStatus.Failed, sim.StatusOf("a"));
        Assert.True(state.GetNode("a")!.Output.IsNull);
        Assert.Equal(Value.Object(("saw", "failed")), state.GetNode("b")!.Output);
    }

    [Fact]
    public void RunToEnd_FallbackStrategy_OutputIsFallbackValue()
    {
        var sim = new DeciderSim(new WorkflowBuilder("w")
            .Node("a", "noop", configure: n => n with { OnError = ErrorStrategy.Fallback, Fallback = WorkflowBuilder.Template(Value.Object(("v", "default"))) })
            .Node("b", "transform", with: Value.Object(("v", "${{ nodes.a.output.v }}")), needs: ["a"])
            .Build())
        {
            Outcome = (id, _) => id == "a" ? new ErrorInfo("boom", "it broke") : null,
        };

        var state = sim.RunToEnd();

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Equal(Value.Object(("v", "default")), state.GetNode("b")!.Output);
    }

    internal static WorkflowDefinition ConditionWorkflow(JoinMode join) => new WorkflowBuilder("cond")
        .Input("n", DataType.Number)
        .Condition("route", null, ("high", "inputs.n > 10"), ("low", null))
        .Node("high", "noop").Edge("route", "high", branch: "high")
        .Node("low", "noop").Edge("route", "low", branch: "low")
        .Node("join", "noop", needs: ["high", "low"], configure: n => n with { Join = join })
        .Build();
}
