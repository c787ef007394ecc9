using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Executors;
using AgentFlow.Runtime.Stores;
using AgentFlow.Testing;
using System.Threading.Tasks.Sources;

namespace AgentFlow.Runtime.Tests;

/// <summary>
/// A map item of local nodes runs without an async step when the store appends at once (RunChildAsync, the runner's
/// start, loop and flush, a map node's completion). A store whose appends complete later takes every async path
/// instead: both must record the same logs and end the same way.
/// </summary>
public sealed class SynchronousPathTests
{
    private static readonly WorkflowDefinition Body = new WorkflowBuilder("body")
        .Node("x", "transform", with: Value.Object(("v", "${{ item * 10 + index }}")))
        .Node("y", "transform", with: Value.Object(("v", "${{ nodes.x.output.v + nodes.a.output.k }}")), needs: ["x"])
        .Build();

    private static readonly WorkflowDefinition Workflow = new WorkflowBuilder("paths")
        .Node("a", "transform", with: Value.Object(("k", 1)))
        .Map("each", "${{ [1, 2, 3] }}", Body, needs: ["a"])
        .Node("sum", "sum", with: Value.Object(("count", 3)), needs: ["each"], configure: n => n with { Body = Body })
        .Map("outer", "${{ [1, 2] }}", new WorkflowBuilder("outer-body").Map("inner", "${{ [item, item + 1] }}", Body).Build(), needs: ["sum"])
        .Output("each", "${{ nodes.each.output }}")
        .Output("sum", "${{ nodes.sum.output }}")
        .Output("outer", "${{ nodes.outer.output }}")
        .Build();

    private static readonly string[] LogIds =
    [
        "run", "run/each/1/0", "run/each/1/1", "run/each/1/2", "run/sum/1/0", "run/sum/1/2",
        "run/outer/1/0", "run/outer/1/1", "run/outer/1/1/inner/1/0", "run/outer/1/1/inner/1/1",
    ];

    [Fact]
    public async Task Map_StoreAppendingLater_RecordsTheSameLogsAsAStoreAppendingAtOnce()
    {
        var (atOnce, atOnceLogs, inline) = await RunAsync(Workflow, new InMemoryEventStore());
        var (later, laterLogs, _) = await RunAsync(Workflow, new LaterAppendingStore(new InMemoryEventStore()));

        Assert.True(inline);
        Assert.Equal(ExecutionStatus.Succeeded, atOnce.Status);
        Assert.Equal(Value.Array(Value.Object(("v", 11)), Value.Object(("v", 22)), Value.Object(("v", 33))), atOnce.Outputs["each"]);
        Assert.Equal(Value.From(1 + 12 + 23), atOnce.Outputs["sum"]);
        Assert.Equal(Value.Array(Value.Object(("v", 21)), Value.Object(("v", 32))), atOnce.Outputs["outer"][1]);
        Assert.Equal((atOnce.Status, atOnce.Outputs), (later.Status, later.Outputs));
        Assert.All(atOnceLogs, log => Assert.NotEmpty(log));
        Assert.Equal(atOnceLogs, laterLogs);
    }

    [Fact]
    public async Task Map_ItemFailsWithStoreAppendingLater_FailsTheSameWayAsWithAStoreAppendingAtOnce()
    {
        var body = new WorkflowBuilder("body")
            .Condition("check", null, ("bad", "item == 2"), ("good", null))
            .Node("f", "fail", with: Value.Object(("error", "bad.item"), ("message", "no ${{ item }}"))).Edge("check", "f", branch: "bad")
            .Node("ok", "transform", with: Value.Object(("v", "${{ item }}"))).Edge("check", "ok", branch: "good")
            .Build();
        var definition = new WorkflowBuilder("failing").Map("each", "${{ [1, 2, 3] }}", body).Build();

        var (atOnce, atOnceLogs, inline) = await RunAsync(definition, new InMemoryEventStore());
        var (later, laterLogs, _) = await RunAsync(definition, new LaterAppendingStore(new InMemoryEventStore()));

        Assert.True(inline);
        Assert.Equal(("map.item", "Map node 'each' item 1 failed: bad.item: no 2"), (atOnce.Error!.Code, atOnce.Error.Message));
        Assert.Equal((atOnce.Status, atOnce.Error, atOnce.FailedNodeId), (later.Status, later.Error, later.FailedNodeId));
        Assert.Equal([false, false, false, true], atOnceLogs.Select(log => log.Count == 0));
        Assert.Equal(atOnceLogs, laterLogs);
    }

    private static async Task<(ExecutionResult Result, List<List<string>> Logs, bool EndedInline)> RunAsync(WorkflowDefinition definition, IEventStore store)
    {
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, TimeProvider = new FakeTimeProvider() });
        runtime.Registry.Register("sum", new SumExecutor());
        var handle = await runtime.StartAsync(definition, Value.EmptyObject, new StartOptions { ExecutionId = "run", RunInline = true }, CancellationToken.None);
        var endedInline = handle.Completion.IsCompleted;
        var result = await handle.Completion.WaitAsync(RuntimeFixture.Guard);
        var logs = new List<List<string>>();
        foreach (var id in ReferenceEquals(definition, Workflow) ? LogIds : ["run", "run/each/1/0", "run/each/1/1", "run/each/1/2"])
        {
            var log = await store.ReadAsync(id, 1, CancellationToken.None);
            logs.Add([.. log.Select(e => EventSerializer.Serialize(e))]);
        }

        return (result, logs, endedInline);
    }

    /// <summary>
    /// A real in-memory store whose appends never complete at once: each is made only once its caller waits for it, so
    /// every append takes the caller's asynchronous path.
    /// </summary>
    private sealed class LaterAppendingStore(IEventStore inner) : IEventStore
    {
        public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken) =>
            new(new DeferredAppend(() => inner.AppendAsync(executionId, expectedSequence, events, cancellationToken)), 0);

        public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken) =>
            inner.ReadAsync(executionId, fromSequence, cancellationToken);

        public IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync(CancellationToken cancellationToken) => inner.ListExecutionsAsync(cancellationToken);
    }

    private sealed class DeferredAppend(Func<ValueTask> append) : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void GetResult(short token) => _core.GetResult(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            _core.OnCompleted(continuation, state, token, flags);
            _ = Task.Run(async () =>
            {
                try
                {
                    await append();
                    _core.SetResult(true);
                }
                catch (Exception ex)
                {
                    _core.SetException(ex);
                }
            });
        }
    }

    /// <summary>A map-like node (the path of FlowGram loops): its items are 0..count-1, its output the sum of their <c>v</c>.</summary>
    private sealed class SumExecutor : INodeExecutor, IMapNodeExecutor
    {
        public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A WorkflowRuntime runs sum nodes through IMapNodeExecutor.");

        public MapStart Start(NodeContext context) =>
            new(new ValueArray([.. Enumerable.Range(0, (int)context.Parameters["count"].AsNumber()).Select(i => Value.From(i))]));

        public Value Complete(NodeContext context, MapStart start, ValueArray results) =>
            Value.From(results.Sum(r => r["v"].AsNumber()));

        public NodeExecutionException ItemFailed(NodeContext context, MapStart start, NodeExecutionException failure) => failure;
    }
}
