using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime.Tests;

/// <summary>A node whose executor supplies its own items and output around the runtime's map machinery.</summary>
public sealed class MapNodeExecutorTests
{
    [Fact]
    public async Task Range_Items_BodyReadsViewAndParentAndCompleteShapesOutput()
    {
        using var fx = NewFixture();
        var body = new WorkflowBuilder("body")
            .Node("calc", "transform", with: Value.Object(("v", "${{ item * nodes.each.output.factor + nodes.base.output.k }}")))
            .Build();
        var definition = new WorkflowBuilder("m")
            .Node("base", "transform", with: Value.Object(("k", 1)))
            .Node("each", "range", with: Value.Object(("count", 3), ("factor", 10)), needs: ["base"], configure: n => n with { Body = body })
            .Node("after", "transform", with: Value.Object(("total", "${{ nodes.each.output.sum }}")), needs: ["each"])
            .Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Value.Object(("total", 1 + 11 + 21)), result.Outputs["after"]);
        var log = await fx.LogAsync("exec-1");
        var succeeded = Assert.Single(log.OfType<NodeSucceeded>(), e => e.NodeId == "each");
        Assert.Equal(Value.Object(("sum", 33), ("results", 3)), succeeded.Output);

        // The body saw the executor's view of the running node and the parent node it reads (the sum above); an
        // item's log records only its own roots, the parent hands it the rest (ExecutionStarted.InheritsParentContext).
        var item = Assert.IsType<ExecutionStarted>((await fx.LogAsync("exec-1/each/1/2"))[0]);
        Assert.True(item.InheritsParentContext);
        Assert.Equal(Value.Object(("item", 2), ("index", 2)), item.Scope);
    }

    [Fact]
    public async Task Range_StartThrows_NodeFailsWithItsErrorAndNoItemRuns()
    {
        using var fx = NewFixture();
        var body = new WorkflowBuilder("body").Node("calc", "transform", with: Value.Object(("v", "${{ item }}"))).Build();
        var definition = new WorkflowBuilder("m").Node("each", "range", with: Value.Object(("count", -1), ("factor", 1)), configure: n => n with { Body = body }).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(("range.count", "each"), (result.Error!.Code, result.FailedNodeId));
        Assert.Equal("count must not be negative, was -1", result.Error.Message);
        Assert.Empty(await fx.LogAsync("exec-1/each/1/0"));
    }

    [Fact]
    public async Task Range_ItemFails_ItemFailedShapesErrorAndLaterItemsDoNotStart()
    {
        using var fx = NewFixture();
        var body = new WorkflowBuilder("body")
            .Condition("check", null, ("bad", "item == 1"), ("good", null))
            .Node("f", "fail", with: Value.Object(("error", "bad.item"), ("message", "nope ${{ item }}"))).Edge("check", "f", branch: "bad")
            .Node("ok", "transform", with: Value.Object(("v", "${{ item }}"))).Edge("check", "ok", branch: "good")
            .Build();
        var definition = new WorkflowBuilder("m").Node("each", "range", with: Value.Object(("count", 3), ("factor", 1)), configure: n => n with { Body = body }).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(("range.item", "each"), (result.Error!.Code, result.FailedNodeId));
        Assert.Equal("range: Map node 'each' item 1 failed: bad.item: nope 1", result.Error.Message);
        Assert.Equal(Value.From(1), result.Error.Details["index"]);
        Assert.Empty(await fx.LogAsync("exec-1/each/1/2"));
    }

    [Fact]
    public async Task Range_Break_CompleteGetsOnlyStartedItems()
    {
        using var fx = NewFixture();
        var body = new WorkflowBuilder("body")
            .Condition("check", null, ("stop", "item == 1"), ("go", null))
            .Node("halt", "break").Edge("check", "halt", branch: "stop")
            .Node("work", "transform", with: Value.Object(("v", "${{ item + 5 }}"))).Edge("check", "work", branch: "go")
            .Output("v", "${{ nodes.work.output.v }}")
            .Build();
        var definition = new WorkflowBuilder("m").Node("each", "range", with: Value.Object(("count", 4), ("factor", 1)), configure: n => n with { Body = body }).Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var succeeded = Assert.Single((await fx.LogAsync("exec-1")).OfType<NodeSucceeded>(), e => e.NodeId == "each");
        Assert.Equal(Value.Object(("sum", 5), ("results", 2)), succeeded.Output);
        Assert.Empty(await fx.LogAsync("exec-1/each/1/2"));
    }

    [Fact]
    public async Task Range_NestedInMapBody_InnerBodyReadsTopLevelNodesLexically()
    {
        using var fx = NewFixture();
        var inner = new WorkflowBuilder("inner").Node("calc", "transform", with: Value.Object(("v", "${{ item + nodes.base.output.k }}"))).Build();
        var outer = new WorkflowBuilder("outer").Node("each", "range", with: Value.Object(("count", "${{ item }}"), ("factor", 1)), configure: n => n with { Body = inner }).Build();
        var definition = new WorkflowBuilder("m")
            .Node("base", "transform", with: Value.Object(("k", 100)))
            .Map("rows", "${{ [1, 2] }}", outer, needs: ["base"])
            .Build();

        var result = await fx.RunAsync(definition);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Value.Array(Value.Object(("sum", 100), ("results", 1)), Value.Object(("sum", 201), ("results", 2))), result.Outputs["rows"]);
    }

    [Fact]
    public async Task ResumeAsync_RangeWithFinishedItem_RunsOnlyTheItemsLeft()
    {
        using var fx = NewFixture();
        var record = new FlakyExecutor(failures: 0);
        fx.Registry.Register("record", record);
        var body = new WorkflowBuilder("body").Node("rec", "record").Build();
        var definition = new WorkflowBuilder("resume").Node("each", "range", with: Value.Object(("count", 3), ("factor", 1)), configure: n => n with { Body = body }).Build();

        // Item 0 as an earlier process left it: its child execution finished before the crash.
        await fx.RunAsync(definition);
        var finished = await fx.LogAsync("exec-1/each/1/0");
        var at = fx.Time.GetUtcNow();
        await fx.Runtime.Store.AppendAsync("crashed", 0,
        [
            new ExecutionStarted("crashed", 1, at, "resume", 1, Value.EmptyObject),
            new NodeStarted("crashed", 2, at, "each", 1, Value.Object(("count", 3), ("factor", 1))),
        ], CancellationToken.None);
        await fx.Runtime.Store.AppendAsync("crashed/each/1/0", 0, [.. finished.Select(e => Rehome(e, "crashed/each/1/0"))], CancellationToken.None);
        record.Keys.Clear();

        var handle = await fx.Runtime.ResumeAsync(definition, "crashed", CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["crashed/each/1/1/rec/1", "crashed/each/1/2/rec/1"], record.Keys);
        var succeeded = Assert.Single((await fx.LogAsync("crashed")).OfType<NodeSucceeded>(), e => e.NodeId == "each");
        Assert.Equal(Value.Object(("sum", 3), ("results", 3)), succeeded.Output);
    }

    private static RuntimeFixture NewFixture()
    {
        var fx = new RuntimeFixture();
        fx.Registry.Register("range", new RangeExecutor());
        return fx;
    }

    private static ExecutionEvent Rehome(ExecutionEvent e, string executionId) =>
        e is ExecutionStarted started ? started with { ExecutionId = executionId, ParentExecutionId = "crashed" } : e with { ExecutionId = executionId };

    /// <summary>
    /// Items 0..count-1; the body sees <c>{ factor }</c> as the node's output; the output sums the items' <c>v</c>
    /// (the item itself when the body has none) and counts the results.
    /// </summary>
    private sealed class RangeExecutor : INodeExecutor, IMapNodeExecutor
    {
        public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A WorkflowRuntime runs range nodes through IMapNodeExecutor.");

        public MapStart Start(NodeContext context)
        {
            var count = (int)context.Parameters["count"].AsNumber();
            if (count < 0)
            {
                throw new NodeExecutionException("range.count", $"count must not be negative, was {count}", retryable: false);
            }

            return new MapStart(new ValueArray([.. Enumerable.Range(0, count).Select(i => Value.From(i))]))
            {
                BodyView = Value.Object(("factor", context.Parameters["factor"])),
            };
        }

        public Value Complete(NodeContext context, MapStart start, ValueArray results)
        {
            double sum = 0;
            for (var i = 0; i < results.Count; i++)
            {
                var result = results[i];
                sum += result.Kind switch
                {
                    ValueKind.Object => result["v"].AsNumber(),
                    ValueKind.Null => 0,
                    _ => start.Items[i].AsNumber(),
                };
            }

            return Value.Object(("sum", sum), ("results", results.Count));
        }

        public NodeExecutionException ItemFailed(NodeContext context, MapStart start, NodeExecutionException failure) =>
            new("range.item", "range: " + failure.Message, retryable: false, failure.Details, failure);
    }
}
