using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>
/// An executor whose node iterates its body the way a <c>map</c> node does, but derives the items from its own
/// parameters and shapes the node's output from the items' results. In between, the runtime runs the node's
/// <see cref="Core.Definitions.NodeDefinition.Body"/> once per item as child executions (ids
/// <c>{execution}/{node}/{attempt}/{index}</c>, at most <see cref="Core.Definitions.NodeDefinition.Concurrency"/> at
/// once), with break/continue, resume and cancellation exactly as for a map node. One engine node then does what a
/// front door would otherwise spell as three (prepare, map, aggregate).
/// </summary>
/// <remarks>
/// The runtime calls these methods only; <see cref="INodeExecutor.ExecuteAsync"/> of such an executor is not used by
/// a <see cref="WorkflowRuntime"/>. Both methods run on the execution's loop and must not block. A re-dispatched
/// attempt (after a restart) calls <see cref="Start"/> again with the same recorded parameters, so it must derive the
/// same items from them: items already run are then found by their child id and not run again.
/// </remarks>
public interface IMapNodeExecutor
{
    /// <summary>The items of this attempt, from its parameters; throw a <see cref="NodeExecutionException"/> to fail the node before any item runs.</summary>
    MapStart Start(NodeContext context);

    /// <summary>
    /// The node's output once no item runs any more: <paramref name="results"/> holds each item's result in item
    /// order (only the items started when a break ended the iteration; null for an item a break or continue ended).
    /// Throwing fails the node.
    /// </summary>
    Value Complete(NodeContext context, MapStart start, ValueArray results);

    /// <summary>
    /// The error the node fails with when item <paramref name="failure"/> names (code <c>map.item</c>) failed; return
    /// <paramref name="failure"/> itself to keep the runtime's error.
    /// </summary>
    NodeExecutionException ItemFailed(NodeContext context, MapStart start, NodeExecutionException failure);
}
