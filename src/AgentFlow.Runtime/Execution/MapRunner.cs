using System.Globalization;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

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

    public static async Task<Value> RunAsync(ExecutionRunner parent, NodeContext context, Value parentScope, CancellationToken cancellationToken)
    {
        var node = context.Node;
        var body = node.Body ?? throw new NodeExecutionException("map.body", $"Map node '{node.Id}' has no body.", retryable: false);
        var items = context.Parameters["items"];
        if (items.Kind != ValueKind.Array)
        {
            throw new NodeExecutionException("map.items", $"Map node '{node.Id}': items must be an array but was {items.KindName}.", retryable: false);
        }

        var list = items.AsArray();
        var results = new Value[list.Count];
        var shape = parent.Runtime.MapBodyOf(body);
        var prefix = ItemIdPrefix(context);
        var concurrency = Math.Max(1, node.Concurrency);
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = 0;
        var stop = false;
        (int Index, ErrorInfo Error)? failure = null;
        bool MayStartMore() => next < list.Count && !stop && failure is null && !siblings.IsCancellationRequested;

        // Settles one finished item; true when it failed the map.
        bool Settle(int finished, ExecutionState state)
        {
            switch (state.Status)
            {
                case ExecutionStatus.Succeeded:
                    results[finished] = shape.SingleSink is { } sink && body.Outputs.IsEmpty && state.Outputs.Kind == ValueKind.Object
                        ? state.Outputs[sink]
                        : state.Outputs;
                    stop |= shape.BreakNodes.Length > 0 && shape.EndedByBreak(state);
                    return false;
                case ExecutionStatus.Failed when failure is null:
                    failure = (finished, state.Error ?? new ErrorInfo("failed", "The item failed."));
                    return true;
                default:
                    return false;
            }
        }

        // Items of local nodes complete inline on the parent's loop: yield when that loop has a message to handle (so it
        // still sees a cancellation); false when the map was cancelled meanwhile.
        var sinceYield = 0;
        async ValueTask<bool> PaceAsync()
        {
            if (++sinceYield <= ItemsBetweenYields && !parent.HasPendingMessages)
            {
                return true;
            }

            sinceYield = 0;
            await Task.Yield();
            return !siblings.IsCancellationRequested;
        }

        if (concurrency == 1)
        {
            // Sequential (every FlowGram loop): one item at a time, no task list and no WhenAny per item.
            while (MayStartMore())
            {
                if (!await PaceAsync().ConfigureAwait(false))
                {
                    break;
                }

                var index = next++;
                var state = await parent.Runtime.RunChildAsync(parent, body, ItemId(prefix, index), parent.State.Inputs, ItemScope(list[index], index, parentScope), node.Id, siblings.Token).ConfigureAwait(false);
                Settle(index, state);
            }
        }
        else
        {
            var active = new List<Task<(int Index, ExecutionState State)>>(concurrency);
            while (active.Count > 0 || MayStartMore())
            {
                while (active.Count < concurrency && MayStartMore())
                {
                    if (!await PaceAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    var index = next++;
                    active.Add(RunItemAsync(parent, body, ItemId(prefix, index), ItemScope(list[index], index, parentScope), node.Id, index, siblings.Token));
                }

                var done = await Task.WhenAny(active).ConfigureAwait(false);
                active.Remove(done);
                var (finished, state) = await done.ConfigureAwait(false);
                if (Settle(finished, state))
                {
                    // One failed item fails the map: stop the items still running.
                    await siblings.CancelAsync().ConfigureAwait(false);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (failure is { } f)
        {
            throw new NodeExecutionException(
                "map.item",
                $"Map node '{node.Id}' item {f.Index} failed: {f.Error.Code}: {f.Error.Message}",
                f.Error.Retryable,
                Value.Object(("index", f.Index), ("error", f.Error.ToValue())));
        }

        // After a break the output holds only the items that were started.
        return Value.From(new ValueArray(stop ? results[..next] : results));
    }

    private static async Task<(int, ExecutionState)> RunItemAsync(ExecutionRunner parent, WorkflowDefinition body, string childId, Value scope, string nodeId, int index, CancellationToken cancellationToken)
    {
        var state = await parent.Runtime.RunChildAsync(parent, body, childId, parent.State.Inputs, scope, nodeId, cancellationToken).ConfigureAwait(false);
        return (index, state);
    }

    private static Value ItemScope(Value item, int index, Value parentScope) =>
        Value.Object(("item", item), ("index", index), ("nodes", parentScope["nodes"]), ("vars", parentScope["vars"]));

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
