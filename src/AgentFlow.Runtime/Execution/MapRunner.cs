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
    /// Items of local nodes run to their end on the parent's loop thread (see <c>RunChildAsync</c>); after this many
    /// the map yields once, so the parent's loop still sees a cancellation during a long map.
    /// </summary>
    private const int ItemsBetweenYields = 64;

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
        var singleSink = SingleSink(body);
        var concurrency = Math.Max(1, node.Concurrency);
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var active = new List<Task<(int Index, ExecutionState State)>>(concurrency);
        var next = 0;
        var stop = false;
        (int Index, ErrorInfo Error)? failure = null;
        bool MayStartMore() => next < list.Count && !stop && failure is null && !siblings.IsCancellationRequested;
        var sinceYield = 0;
        while (active.Count > 0 || MayStartMore())
        {
            while (active.Count < concurrency && MayStartMore())
            {
                if (++sinceYield > ItemsBetweenYields)
                {
                    sinceYield = 0;
                    await Task.Yield();
                    if (siblings.IsCancellationRequested)
                    {
                        break;
                    }
                }

                var index = next++;
                var scope = Value.Object(("item", list[index]), ("index", index), ("nodes", parentScope["nodes"]), ("vars", parentScope["vars"]));
                var childId = string.Create(CultureInfo.InvariantCulture, $"{context.ExecutionId}/{node.Id}/{context.Attempt}/{index}");
                active.Add(RunItemAsync(parent, body, childId, scope, node.Id, index, siblings.Token));
            }

            var done = await Task.WhenAny(active).ConfigureAwait(false);
            active.Remove(done);
            var (finished, state) = await done.ConfigureAwait(false);
            switch (state.Status)
            {
                case ExecutionStatus.Succeeded:
                    results[finished] = singleSink is not null && body.Outputs.IsEmpty && state.Outputs.Kind == ValueKind.Object
                        ? state.Outputs[singleSink]
                        : state.Outputs;
                    stop |= EndedBy(state, body, NodeKinds.Break);
                    break;
                case ExecutionStatus.Failed when failure is null:
                    failure = (finished, state.Error ?? new ErrorInfo("failed", "The item failed."));

                    // One failed item fails the map: stop the items still running.
                    await siblings.CancelAsync().ConfigureAwait(false);
                    break;
                default:
                    break;
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

    private static bool EndedBy(ExecutionState state, WorkflowDefinition body, string kind) =>
        body.Nodes.Any(n => n.Kind == kind && state.GetNode(n.Id)?.Status == NodeStatus.Succeeded);

    /// <summary>The id of the body's only sink node (an item's result is then that node's output), or null.</summary>
    private static string? SingleSink(WorkflowDefinition body)
    {
        var sources = body.Edges.Select(e => e.From).ToHashSet(StringComparer.Ordinal);
        var sinks = body.Nodes.Where(n => !sources.Contains(n.Id)).Take(2).ToList();
        return sinks.Count == 1 ? sinks[0].Id : null;
    }
}
