using AgentFlow.Core.Building;
using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime.Tests;

public sealed class MapCancellationTests
{
    [Fact]
    public async Task CancelAsync_DuringMap_CancelsRunningItemsAndStartsNoMore()
    {
        using var fx = new RuntimeFixture();
        var hang = new HangExecutor();
        fx.Registry.Register("hang", hang);
        var body = new WorkflowBuilder("body").Node("h", "hang").Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ [1, 2, 3] }}", body, concurrency: 1).Build();
        var handle = await fx.StartAsync(definition);
        await hang.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        await handle.CancelAsync(CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        var children = await fx.Runtime.Store.ListExecutionsAsync(CancellationToken.None).Where(e => e.ParentExecutionId == handle.ExecutionId).ToListAsync();
        var child = Assert.Single(children);
        Assert.Equal("cancelled", child.Status);
    }

    [Fact]
    public async Task Map_BudgetOfOne_DoesNotDeadlock()
    {
        using var fx = new RuntimeFixture(maxConcurrentNodes: 1);
        var body = new WorkflowBuilder("body").Node("a", "transform", with: Core.Values.Value.Object(("v", "${{ item }}"))).Node("b", "noop", needs: ["a"]).Output("v", "${{ nodes.a.output.v }}").Build();
        var definition = new WorkflowBuilder("m").Node("pre", "noop").Map("each", "${{ [1, 2, 3] }}", body, concurrency: 3, needs: ["pre"]).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3, result.Outputs["each"].AsArray().Count);
    }
}
