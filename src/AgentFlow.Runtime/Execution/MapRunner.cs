using System.Globalization;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Runs a map node: the body once per item, each as a child execution with <c>item</c>/<c>index</c> and the parent's
/// scope, at most <see cref="NodeDefinition.Concurrency"/> at once; the output keeps item order.
/// </summary>
internal static class MapRunner
{
    /// <summary>
    /// Items of local nodes run to their end on the parent's loop thread (see <c>RunChildAsync</c>). The map yields that
    /// thread as soon as the parent's inbox holds a message (a cancellation, say, which the loop must see), and after
    /// this many items in any case, so a huge map started inline gives its caller the thread back.
    /// </summary>
    private const int ItemsBetweenYields = 4096;

    /// <summary>Runs a map node: the items are its recorded <c>items</c> parameter, the output the items' results.</summary>
    public static ValueTask<Value> RunAsync(ExecutionRunner parent, NodeContext context, Value parentScope, CancellationToken cancellationToken)
    {
        var node = context.Node;
        var body = BodyOf(node);
        var items = context.Parameters["items"];
        if (items.Kind != ValueKind.Array)
        {
            throw new NodeExecutionException("map.items", $"Map node '{node.Id}': items must be an array but was {items.KindName}.", retryable: false);
        }

        var iteration = IterateAsync(parent, context, body, items.AsArray(), parentScope, cancellationToken);
        return iteration.IsCompletedSuccessfully ? new(Value.From(iteration.Result)) : ToOutputAsync(iteration);
    }

    /// <summary>Runs a node whose executor supplies the items and turns their results into the output (<see cref="IMapNodeExecutor"/>).</summary>
    public static ValueTask<Value> RunAsync(ExecutionRunner parent, NodeContext context, Value parentScope, IMapNodeExecutor executor, CancellationToken cancellationToken)
    {
        var node = context.Node;
        var body = BodyOf(node);
        var start = executor.Start(context);
        if (!start.BodyView.IsNull)
        {
            // The node is still running, so the captured scope lacks it: the body reads what the executor shows instead.
            var nodes = parentScope["nodes"].AsObject().With(node.Id, Value.Object(("output", start.BodyView)));
            parentScope = Value.Object(("nodes", Value.From(nodes)), ("vars", parentScope["vars"]));
        }

        var iteration = IterateAsync(parent, context, body, start.Items, parentScope, cancellationToken);

        // Items that all ended inline (a loop of local nodes): no state machine to wait for them.
        return iteration.IsCompletedSuccessfully ? new(executor.Complete(context, start, iteration.Result)) : CompleteAsync(executor, context, start, iteration);
    }

    private static WorkflowDefinition BodyOf(NodeDefinition node) =>
        node.Body ?? throw new NodeExecutionException("map.body", $"Map node '{node.Id}' has no body.", retryable: false);

    private static async ValueTask<Value> ToOutputAsync(ValueTask<ValueArray> iteration) => Value.From(await iteration.ConfigureAwait(false));

    private static async ValueTask<Value> CompleteAsync(IMapNodeExecutor executor, NodeContext context, MapStart start, ValueTask<ValueArray> iteration)
    {
        ValueArray results;
        try
        {
            results = await iteration.ConfigureAwait(false);
        }
        catch (NodeExecutionException ex) when (ex.Code == MapProgress.ItemFailedCode)
        {
            throw executor.ItemFailed(context, start, ex);
        }

        return executor.Complete(context, start, results);
    }

    // Sequential maps (every FlowGram loop) take a lean path: no linked token, task list or WhenAny per item.
    private static ValueTask<ValueArray> IterateAsync(ExecutionRunner parent, NodeContext context, WorkflowDefinition body, ValueArray items, Value parentScope, CancellationToken cancellationToken) =>
        context.Node.Concurrency <= 1
            ? RunSequentialAsync(parent, context, body, items, parentScope, cancellationToken)
            : new(RunConcurrentAsync(parent, context, body, items, parentScope, cancellationToken));

    private static async ValueTask<ValueArray> RunSequentialAsync(ExecutionRunner parent, NodeContext context, WorkflowDefinition body, ValueArray list, Value parentScope, CancellationToken cancellationToken)
    {
        var progress = new MapProgress(parent.Runtime.MapBodyOf(body), body, list.Count);
        var prefix = ItemIdPrefix(context);
        var sinceYield = 0;

        // One item runs at a time: the runner of one that ended inline serves the next, once its state is settled.
        var runners = parent.RentItemRunners();
        try
        {
            while (progress.MayStartMore && !cancellationToken.IsCancellationRequested)
            {
                // Items of local nodes complete inline on the parent's loop: let that loop run when it has a message to
                // handle (a cancellation, say), and now and then in any case.
                if (TimeToYield(parent, ref sinceYield))
                {
                    await Task.Yield();
                    if (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }
                }

                var index = progress.StartNext();
                var state = await parent.Runtime.RunChildAsync(parent, body, ItemId(prefix, index), parent.State.Inputs, ItemRoots(list[index], index), parentScope, context.Node.Id, runners, cancellationToken).ConfigureAwait(false);
                progress.Settle(index, state);
                runners.Release();
            }
        }
        finally
        {
            parent.ReturnItemRunners(runners);
        }

        return progress.Conclude(context.Node, cancellationToken);
    }

    private static async Task<ValueArray> RunConcurrentAsync(ExecutionRunner parent, NodeContext context, WorkflowDefinition body, ValueArray list, Value parentScope, CancellationToken cancellationToken)
    {
        var node = context.Node;
        var progress = new MapProgress(parent.Runtime.MapBodyOf(body), body, list.Count);
        var prefix = ItemIdPrefix(context);
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sinceYield = 0;
        var active = new List<Task<(int Index, ExecutionState State)>>(node.Concurrency);
        while (active.Count > 0 || MayStartMore())
        {
            while (active.Count < node.Concurrency && MayStartMore())
            {
                if (TimeToYield(parent, ref sinceYield))
                {
                    await Task.Yield();
                    if (siblings.IsCancellationRequested)
                    {
                        break;
                    }
                }

                var index = progress.StartNext();
                active.Add(RunItemAsync(parent, body, ItemId(prefix, index), list[index], parentScope, node.Id, index, siblings.Token));
            }

            var done = await Task.WhenAny(active).ConfigureAwait(false);
            active.Remove(done);
            var (finished, state) = await done.ConfigureAwait(false);
            if (progress.Settle(finished, state))
            {
                // One failed item fails the map: stop the items still running.
                await siblings.CancelAsync().ConfigureAwait(false);
            }
        }

        return progress.Conclude(node, cancellationToken);

        bool MayStartMore() => progress.MayStartMore && !siblings.IsCancellationRequested;
    }

    private static bool TimeToYield(ExecutionRunner parent, ref int sinceYield)
    {
        if (++sinceYield <= ItemsBetweenYields && !parent.HasPendingMessages)
        {
            return false;
        }

        sinceYield = 0;
        return true;
    }

    private static async Task<(int, ExecutionState)> RunItemAsync(ExecutionRunner parent, WorkflowDefinition body, string childId, Value item, Value parentScope, string nodeId, int index, CancellationToken cancellationToken)
    {
        var state = await parent.Runtime.RunChildAsync(parent, body, childId, parent.State.Inputs, ItemRoots(item, index), parentScope, nodeId, null, cancellationToken).ConfigureAwait(false);
        return (index, state);
    }

    /// <summary>
    /// An item's own roots, all its log records of its scope; the parent's <c>nodes</c> and <c>vars</c> are handed to
    /// it as they are, one object for every item of the map rather than one merged scope per item.
    /// </summary>
    private static Value ItemRoots(Value item, int index) => Value.Object(("item", item), ("index", index));

    /// <summary><c>{execution}/{node}/{attempt}/</c>: built once per map run, not once per item.</summary>
    private static string ItemIdPrefix(NodeContext context) =>
        string.Create(CultureInfo.InvariantCulture, $"{context.ExecutionId}/{context.Node.Id}/{context.Attempt}/");

    private static string ItemId(string prefix, int index)
    {
        var digits = 1;
        for (var rest = index / 10; rest > 0; rest /= 10)
        {
            digits++;
        }

        return string.Create(prefix.Length + digits, (prefix, index), static (span, state) =>
        {
            state.prefix.CopyTo(span);
            state.index.TryFormat(span[state.prefix.Length..], out _, default, CultureInfo.InvariantCulture);
        });
    }
}
