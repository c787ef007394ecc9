using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

public sealed class ResumeTests
{
    [Fact]
    public async Task ResumeAsync_StartedButUnfinishedNode_RedispatchedWithSameKeyCompletedNodesNot()
    {
        using var fx = new RuntimeFixture();
        var flaky = new FlakyExecutor(failures: 0);
        fx.Registry.Register("record", flaky);
        var definition = new WorkflowBuilder("resume")
            .Node("a", "record")
            .Node("b", "record", needs: ["a"])
            .Build();
        var at = fx.Time.GetUtcNow();

        // A log as a crashed process left it: a finished, b started but never finished.
        await fx.Runtime.Store.AppendAsync("crashed", 0,
        [
            new ExecutionStarted("crashed", 1, at, "resume", 1, Value.EmptyObject),
            new NodeStarted("crashed", 2, at, "a", 1, Value.EmptyObject),
            new NodeSucceeded("crashed", 3, at, "a", 1, 1),
            new NodeStarted("crashed", 4, at, "b", 1, Value.EmptyObject),
        ], CancellationToken.None);

        var handle = await fx.Runtime.ResumeAsync(definition, "crashed", CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["crashed/b/1"], flaky.Keys);
        var log = await fx.LogAsync("crashed");
        Assert.Single(log, e => e is NodeStarted { NodeId: "b" });
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ResumeAsync_MapItemCutShort_GetsTheParentsInputsAndNodesItsLogDoesNotRecord()
    {
        using var fx = new RuntimeFixture();
        var body = new WorkflowBuilder("body")
            .Node("calc", "transform", with: Value.Object(("v", "${{ item * nodes.factor.output.k }}")))
            .Node("after", "transform", with: Value.Object(("total", "${{ nodes.calc.output.v + inputs.offset }}"), ("i", "${{ index }}")), needs: ["calc"])
            .Build();
        var definition = new WorkflowBuilder("m")
            .Input("list", DataType.Array)
            .Input("offset", DataType.Number)
            .Node("factor", "transform", with: Value.Object(("k", 10)))
            .Map("each", "${{ inputs.list }}", body, needs: ["factor"])
            .Output("all", "${{ nodes.each.output }}")
            .Build();
        var at = fx.Time.GetUtcNow();
        var inputs = Value.Object(("list", Value.Array(3, 1)), ("offset", 100));

        // A crashed process left the first item after its first node: its log holds its item and index only.
        await fx.Runtime.Store.AppendAsync("crashed", 0,
        [
            new ExecutionStarted("crashed", 1, at, "m", 1, inputs),
            new NodeStarted("crashed", 2, at, "factor", 1, Value.Object(("k", 10))),
            new NodeSucceeded("crashed", 3, at, "factor", 1, Value.Object(("k", 10))),
            new NodeStarted("crashed", 4, at, "each", 1, Value.Object(("items", Value.Array(3, 1)))),
        ], CancellationToken.None);
        await fx.Runtime.Store.AppendAsync("crashed/each/1/0", 0,
        [
            new ExecutionStarted("crashed/each/1/0", 1, at, "body", 1, Value.EmptyObject, "crashed", "each", Value.Object(("item", 3), ("index", 0))) { InheritsParentContext = true },
            new NodeStarted("crashed/each/1/0", 2, at, "calc", 1, Value.Object(("v", 30))),
            new NodeSucceeded("crashed/each/1/0", 3, at, "calc", 1, Value.Object(("v", 30))),
        ], CancellationToken.None);

        var handle = await fx.Runtime.ResumeAsync(definition, "crashed", CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Value.Array(Value.Object(("total", 130), ("i", 0)), Value.Object(("total", 110), ("i", 1))), result.Outputs["all"]);
        Assert.Single(await fx.LogAsync("crashed/each/1/0"), e => e is NodeStarted { NodeId: "calc" });
    }

    [Fact]
    public async Task ResumeAsync_RedispatchedAttemptWithTimeout_KeepsDeadlineOfRecordedStart()
    {
        using var fx = new RuntimeFixture();
        var gate = new GateExecutor();
        fx.Registry.Register("gate", gate);
        var definition = new WorkflowBuilder("deadline")
            .Node("slow", "gate", configure: n => n with { Timeout = TimeSpan.FromSeconds(10) })
            .Build();
        var at = fx.Time.GetUtcNow();
        await fx.Runtime.Store.AppendAsync("crashed", 0,
        [
            new ExecutionStarted("crashed", 1, at, "deadline", 1, Value.EmptyObject),
            new NodeStarted("crashed", 2, at, "slow", 1, Value.EmptyObject),
        ], CancellationToken.None);
        fx.Time.Advance(TimeSpan.FromSeconds(8));

        var handle = await fx.Runtime.ResumeAsync(definition, "crashed", CancellationToken.None);
        await gate.Entered.Task.WaitAsync(RuntimeFixture.Guard);
        fx.Time.Advance(TimeSpan.FromSeconds(2));
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("timeout", result.Error!.Code);
    }

    [Fact]
    public async Task WatchUpdatesAsync_NodeReportsProgress_WatcherSeesIt()
    {
        using var fx = new RuntimeFixture();
        var gate = new GateExecutor();
        fx.Registry.Register("gate", gate);
        fx.Registry.Register("talk", new ProgressExecutor());
        var handle = await fx.StartAsync(new WorkflowBuilder("p").Node("g", "gate").Node("t", "talk", needs: ["g"]).Build());
        await gate.Entered.Task.WaitAsync(RuntimeFixture.Guard);

        var updates = new List<ExecutionUpdate>();
        await using var watcher = handle.WatchUpdatesAsync(CancellationToken.None).GetAsyncEnumerator();

        // The first item proves the subscription is registered before the progress can happen.
        Assert.True(await watcher.MoveNextAsync());
        gate.Release();
        while (await watcher.MoveNextAsync().AsTask().WaitAsync(RuntimeFixture.Guard))
        {
            updates.Add(watcher.Current);
        }

        var progress = Assert.Single(updates.OfType<NodeProgressUpdate>());
        Assert.Equal(("t", Value.From("token")), (progress.NodeId, progress.Partial));
    }

    private sealed class ProgressExecutor : Core.Nodes.INodeExecutor
    {
        public ValueTask<Value> ExecuteAsync(Core.Nodes.NodeContext context, CancellationToken cancellationToken)
        {
            context.Progress.Report("token");
            return new(Value.Null);
        }
    }
}
