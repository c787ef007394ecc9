using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

public sealed class BranchFromOutputTests
{
    [Theory]
    [InlineData("left", "l", "r")]
    [InlineData("right", "r", "l")]
    public async Task StartAsync_ExecutorChoosesBranch_OnlyThatBranchRuns(string chosen, string runs, string skipped)
    {
        using var fx = new RuntimeFixture();
        fx.Registry.Register("pick", new PickExecutor());
        var definition = new WorkflowBuilder("pick")
            .Node("p", "pick", with: Value.Object(("branch", chosen)), configure: n => n with { BranchFromOutput = true })
            .Node("l", "noop").Node("r", "noop")
            .Node("join", "noop", needs: ["l", "r"])
            .Edge("p", "l", branch: "left").Edge("p", "r", branch: "right")
            .Build();

        var handle = await fx.StartAsync(definition);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var log = await fx.LogAsync(handle.ExecutionId);
        Assert.Equal(chosen, log.OfType<NodeSucceeded>().Single(e => e.NodeId == "p").Branch);
        Assert.Contains(log.OfType<NodeSucceeded>(), e => e.NodeId == runs);
        Assert.Contains(log.OfType<NodeSkipped>(), e => e.NodeId == skipped);
        Assert.Contains(log.OfType<NodeSucceeded>(), e => e.NodeId == "join");
    }

    [Fact]
    public async Task StartAsync_BranchInOutputWithoutFlag_IsNotABranch()
    {
        using var fx = new RuntimeFixture();
        fx.Registry.Register("pick", new PickExecutor());
        var definition = new WorkflowBuilder("plain")
            .Node("p", "pick", with: Value.Object(("branch", "left")))
            .Node("l", "noop")
            .Edge("p", "l", branch: "left")
            .Build();

        var handle = await fx.StartAsync(definition);
        await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        var log = await fx.LogAsync(handle.ExecutionId);
        Assert.Null(log.OfType<NodeSucceeded>().Single(e => e.NodeId == "p").Branch);
        Assert.Contains(log.OfType<NodeSkipped>(), e => e.NodeId == "l");
    }

    private sealed class PickExecutor : INodeExecutor
    {
        public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return Value.Object(("branch", context.Parameters["branch"]));
        }
    }
}
