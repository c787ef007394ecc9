using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

/// <summary>
/// A sequential map runs each item that ended inline on the previous item's runner, reset (see ItemRunnerSlot): every
/// item must still have exactly its own log and state, as if each had a runner of its own.
/// </summary>
public sealed class MapItemReuseTests
{
    [Fact]
    public async Task Map_SequentialItems_EachLogHoldsOnlyItsOwnEvents()
    {
        using var fx = new RuntimeFixture();
        var body = new WorkflowBuilder("body")
            .Node("a", "transform", with: Value.Object(("v", "${{ item }}"), ("i", "${{ index }}")))
            .Node("b", "transform", with: Value.Object(("twice", "${{ nodes.a.output.v * 2 }}")), needs: ["a"])
            .Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ [10, 20, 30, 40] }}", body).Build();

        var handle = await fx.StartAsync(definition);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal([20.0, 40.0, 60.0, 80.0], result.Outputs["each"].AsArray().Select(r => r["twice"].AsNumber()));
        for (var index = 0; index < 4; index++)
        {
            var id = $"{handle.ExecutionId}/each/1/{index}";
            var log = await fx.LogAsync(id);
            Assert.Equal(["ExecutionStarted", "NodeStarted", "NodeSucceeded", "NodeStarted", "NodeSucceeded", "ExecutionCompleted"], log.Select(e => e.GetType().Name));
            Assert.All(log, e => Assert.Equal(id, e.ExecutionId));
            Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
            var started = Assert.IsType<ExecutionStarted>(log[0]);
            Assert.Equal((10.0 * (index + 1), (double)index), (started.Scope["item"].AsNumber(), started.Scope["index"].AsNumber()));
            var a = Assert.IsType<NodeSucceeded>(log[2]);
            Assert.Equal((10.0 * (index + 1), (double)index), (a.Output["v"].AsNumber(), a.Output["i"].AsNumber()));
            Assert.Equal(20.0 * (index + 1), Assert.IsType<ExecutionCompleted>(log[^1]).Outputs["b"]["twice"].AsNumber());

            // The report folded from the log sees one attempt per node, not counts carried over from earlier items.
            var report = ExecutionReport.FromEvents(log);
            Assert.All(report.Nodes, n => Assert.Equal(1, n.Attempts));
        }
    }

    [Fact]
    public async Task Map_ItemFailsAfterReusedItems_FailsMapWithThatItemOnly()
    {
        using var fx = new RuntimeFixture();
        fx.Registry.Register("three", new FailOnThree());
        var body = new WorkflowBuilder("body").Node("a", "three", with: Value.Object(("v", "${{ item }}"))).Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ [1, 2, 3, 4] }}", body).Build();

        var handle = await fx.StartAsync(definition);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(("map.item", "each"), (result.Error!.Code, result.FailedNodeId));
        Assert.Equal("Map node 'each' item 2 failed: bad.item: item 3 is bad", result.Error.Message);
        var item1 = await fx.LogAsync($"{handle.ExecutionId}/each/1/1");
        Assert.IsType<ExecutionCompleted>(item1[^1]);
        var failed = await fx.LogAsync($"{handle.ExecutionId}/each/1/2");
        Assert.All(failed, e => Assert.Equal($"{handle.ExecutionId}/each/1/2", e.ExecutionId));
        Assert.Equal(3, Assert.IsType<ExecutionStarted>(failed[0]).Scope["item"].AsNumber());
        Assert.IsType<ExecutionFailed>(failed[^1]);
        Assert.DoesNotContain(failed, e => e is NodeSucceeded);
        Assert.Empty(await fx.LogAsync($"{handle.ExecutionId}/each/1/3"));
    }

    [Fact]
    public async Task Map_HandleTakenDuringAnItem_KeepsThatItemsExecution()
    {
        using var fx = new RuntimeFixture();
        var grab = new HandleGrabber(fx.Runtime, grabAt: 1);
        fx.Registry.Register("grab", grab);
        var body = new WorkflowBuilder("body").Node("g", "grab", with: Value.Object(("v", "${{ item }}"))).Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ ['x', 'y', 'z', 'w'] }}", body).Build();

        var handle = await fx.StartAsync(definition);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        // The runner behind a handle is never reused for a later item: the handle still shows item 1.
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["x", "y", "z", "w"], result.Outputs["each"].AsArray().Select(r => r["v"].AsString()));
        var taken = Assert.IsType<ExecutionHandle>(grab.Handle);
        Assert.Equal($"{handle.ExecutionId}/each/1/1", taken.ExecutionId);
        var item = await taken.Completion.WaitAsync(RuntimeFixture.Guard);
        Assert.Equal((ExecutionStatus.Succeeded, "y"), (item.Status, item.Outputs["g"]["v"].AsString()));
    }

    [Fact]
    public async Task Map_NestedSequentialMaps_EveryItemKeepsItsOwnLog()
    {
        using var fx = new RuntimeFixture();
        var inner = new WorkflowBuilder("inner").Node("t", "transform", with: Value.Object(("p", "${{ item * 10 }}"))).Build();
        var outer = new WorkflowBuilder("outer").Map("rows", "${{ [item, item + 1] }}", inner).Build();
        var definition = new WorkflowBuilder("m").Map("each", "${{ [1, 3] }}", outer).Build();

        var handle = await fx.StartAsync(definition);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var products = result.Outputs["each"].AsArray().Select(r => r.AsArray().Select(c => c["p"].AsNumber()).ToArray()).ToArray();
        Assert.Equal([[10.0, 20.0], [30.0, 40.0]], products);
        foreach (var (outerIndex, innerIndex, item) in new[] { (0, 0, 1.0), (0, 1, 2.0), (1, 0, 3.0), (1, 1, 4.0) })
        {
            var id = $"{handle.ExecutionId}/each/1/{outerIndex}/rows/1/{innerIndex}";
            var log = await fx.LogAsync(id);
            Assert.All(log, e => Assert.Equal(id, e.ExecutionId));
            Assert.Equal(item, Assert.IsType<ExecutionStarted>(log[0]).Scope["item"].AsNumber());
            Assert.Equal(item * 10, Assert.IsType<ExecutionCompleted>(log[^1]).Outputs["t"]["p"].AsNumber());
        }
    }

    [Fact]
    public async Task Map_ChainOfMapsWithOtherBodies_EachItemRunsItsOwnBodyAndIsObservedWithIt()
    {
        var observer = new RecordingObserver();
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Observer = observer });
        var first = new WorkflowBuilder("first").Node("x", "transform", with: Value.Object(("v", "${{ item }}"))).Build();
        var second = new WorkflowBuilder("second")
            .Node("p", "transform", with: Value.Object(("v", "${{ item * 2 }}")))
            .Node("q", "transform", with: Value.Object(("v", "${{ nodes.p.output.v + 1 }}")), needs: ["p"])
            .Node("r", "noop", needs: ["q"])
            .Build();
        var definition = new WorkflowBuilder("m")
            .Map("one", "${{ [1, 2] }}", first)
            .Map("two", "${{ [5, 6, 7] }}", second, needs: ["one"])
            .Map("three", "${{ [3] }}", first, needs: ["two"])
            .Build();

        var handle = await runtime.StartAsync(definition, Value.EmptyObject, null, CancellationToken.None);
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3.0, result.Outputs["three"].AsArray()[0]["v"].AsNumber());
        for (var index = 0; index < 3; index++)
        {
            var log = await runtime.Store.ReadAsync($"{handle.ExecutionId}/two/1/{index}", 1, CancellationToken.None);
            Assert.Equal(11.0 + (2 * index), log.OfType<NodeSucceeded>().Single(e => e.NodeId == "q").Output["v"].AsNumber());
        }

        foreach (var (node, index, body, nodes) in new[] { ("one", 1, "first", 1), ("two", 2, "second", 3), ("three", 0, "first", 1) })
        {
            var id = $"{handle.ExecutionId}/{node}/1/{index}";
            var log = await runtime.Store.ReadAsync(id, 1, CancellationToken.None);
            Assert.Equal(body, Assert.IsType<ExecutionStarted>(log[0]).WorkflowId);
            Assert.Equal(nodes, log.OfType<NodeSucceeded>().Count());
            Assert.IsType<ExecutionCompleted>(log[^1]);
            Assert.Equal(body, observer.BodyOf(id));
        }
    }

    [Fact]
    public async Task CancelAsync_DuringMapOfReusedItems_FinishedItemLogsAreCompleteAndOwn()
    {
        using var fx = new RuntimeFixture();
        var counter = new CancelAtCall(fx.Runtime, cancelAt: 25);
        fx.Registry.Register("count", counter);
        var body = new WorkflowBuilder("body").Node("c", "count", with: Value.Object(("v", "${{ item }}"))).Build();
        var definition = new WorkflowBuilder("m").Input("list", Core.Definitions.DataType.Array).Map("each", "${{ inputs.list }}", body).Build();
        var items = Value.Array(Enumerable.Range(0, 2000).Select(i => Value.From(i)));

        var handle = await fx.StartAsync(definition, Value.Object(("list", items)));
        counter.ExecutionId = handle.ExecutionId;
        counter.Armed.SetResult();
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        var children = await fx.Runtime.Store.ListExecutionsAsync(CancellationToken.None).Where(e => e.ParentExecutionId == handle.ExecutionId).ToListAsync();
        Assert.InRange(children.Count, 25, 1999);
        foreach (var child in children)
        {
            var log = await fx.LogAsync(child.ExecutionId);
            Assert.All(log, e => Assert.Equal(child.ExecutionId, e.ExecutionId));
            var index = (double)int.Parse(child.ExecutionId[(child.ExecutionId.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(index, Assert.IsType<ExecutionStarted>(log[0]).Scope["item"].AsNumber());
            Assert.Equal(1, log.Count(e => e is ExecutionStarted));
            if (log[^1] is ExecutionCompleted completed)
            {
                Assert.Equal(index, completed.Outputs["c"]["v"].AsNumber());
            }
        }
    }

    /// <summary>Notes which workflow each execution's recorded events were observed with.</summary>
    private sealed class RecordingObserver : IExecutionObserver
    {
        private readonly Dictionary<string, HashSet<string>> _bodies = [];

        public void OnRecorded(CompiledGraph graph, IReadOnlyList<ExecutionEvent> events, bool replayed)
        {
            lock (_bodies)
            {
                foreach (var e in events)
                {
                    (_bodies.TryGetValue(e.ExecutionId, out var seen) ? seen : _bodies[e.ExecutionId] = []).Add(graph.Definition.Id);
                }
            }
        }

        public string BodyOf(string executionId)
        {
            lock (_bodies)
            {
                return Assert.Single(_bodies[executionId]);
            }
        }
    }

    /// <summary>A local node that fails for item 3 and echoes its parameters otherwise.</summary>
    private sealed class FailOnThree : INodeExecutor, Executors.ILocalNode
    {
        public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
            context.Parameters["v"].AsNumber() == 3
                ? throw new NodeExecutionException("bad.item", "item 3 is bad", retryable: false)
                : new(context.Parameters);
    }

    /// <summary>A local node that takes the handle of its own execution at one call, as a watcher might.</summary>
    private sealed class HandleGrabber(WorkflowRuntime runtime, int grabAt) : INodeExecutor, Executors.ILocalNode
    {
        private int _calls;

        public ExecutionHandle? Handle { get; private set; }

        public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
        {
            if (_calls++ == grabAt)
            {
                Handle = runtime.GetHandle(context.ExecutionId);
            }

            return new(context.Parameters);
        }
    }

    /// <summary>A local node that asks the runtime to cancel the parent at one of its calls (all but the first complete synchronously).</summary>
    private sealed class CancelAtCall(WorkflowRuntime runtime, int cancelAt) : INodeExecutor, Executors.ILocalNode
    {
        private int _calls;

        public TaskCompletionSource Armed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? ExecutionId { get; set; }

        public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
        {
            if (!Armed.Task.IsCompleted)
            {
                await Armed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (++_calls == cancelAt)
            {
                await runtime.CancelAsync(ExecutionId!, cancellationToken).ConfigureAwait(false);
            }

            return context.Parameters;
        }
    }
}
