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

    [Fact]
    public async Task CancelAsync_DuringLongMapOfLocalNodes_StopsWithinAFewItems()
    {
        using var fx = new RuntimeFixture();
        var counter = new CancellingCounter(fx.Runtime, cancelAt: 10);
        fx.Registry.Register("count", counter);
        var body = new WorkflowBuilder("body").Node("c", "count").Build();
        var definition = new WorkflowBuilder("m").Input("list", Core.Definitions.DataType.Array).Map("each", "${{ inputs.list }}", body, concurrency: 1).Build();
        var items = Core.Values.Value.Array(Enumerable.Range(0, 5000).Select(i => Core.Values.Value.From(i)));

        var handle = await fx.StartAsync(definition, Core.Values.Value.Object(("list", items)));
        counter.ExecutionId = handle.ExecutionId;
        counter.Armed.SetResult();
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        // Items of local nodes complete inline on the parent's loop; the map must still let it see the cancellation.
        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.InRange(counter.Calls, 10, 200);
    }

    /// <summary>A synchronous local node that counts its runs and asks the runtime to cancel the parent at one of them.</summary>
    private sealed class CancellingCounter(WorkflowRuntime runtime, int cancelAt) : Core.Nodes.INodeExecutor, Executors.ILocalNode
    {
        public TaskCompletionSource Armed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? ExecutionId { get; set; }

        public int Calls { get; private set; }

        public async ValueTask<Core.Values.Value> ExecuteAsync(Core.Nodes.NodeContext context, CancellationToken cancellationToken)
        {
            if (!Armed.Task.IsCompleted)
            {
                // The first item waits until the test knows the execution id; all later ones complete synchronously.
                await Armed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (++Calls == cancelAt)
            {
                await runtime.CancelAsync(ExecutionId!, cancellationToken).ConfigureAwait(false);
            }

            return default;
        }
    }
}
