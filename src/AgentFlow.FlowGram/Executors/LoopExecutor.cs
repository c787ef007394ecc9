using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// A <c>loop</c> node (§2.7) as one engine node: resolves its inputs and <c>loopFor</c> and checks them with the
/// reference's messages, lets the runtime run the body once per item sequentially (child executions, as for a map
/// node), then aggregates <c>loopOutputs</c> (see <see cref="LoopAggregation"/>).
/// </summary>
/// <remarks>
/// Parameters: <c>node</c> (the loop, without its blocks), <c>refs</c>, <c>blockStart</c> (whether the body has one),
/// and <see cref="UnrecordedBlockStart"/> (<see cref="UnrecordedBlockEnd"/>) when the body does not run its block-start
/// (block-end).
/// The items come from the recorded <c>refs</c>, so a resumed attempt iterates the same array. While the items run,
/// the body reads the loop's <c>itemsType</c> (for <c>&lt;loopID&gt;_locals.item</c>) as this node's output. The
/// output is the loop's <c>inputs</c>, <c>outputs</c> and encoded <c>vars</c>, like any FlowGram node's.
/// </remarks>
internal sealed class LoopExecutor : INodeExecutor, IMapNodeExecutor, ILocalNode
{
    /// <summary>
    /// The parameter holding the schema node of a block-start the body does not run (it would record nothing anyone
    /// reads); the report shows it as run first in each iteration.
    /// </summary>
    internal const string UnrecordedBlockStart = "unrecordedBlockStart";

    /// <summary>
    /// The parameter holding the schema node of a block-end the body does not run (its block-start, not run either,
    /// leads to it alone); the report shows it as run right after the block-start in each iteration.
    /// </summary>
    internal const string UnrecordedBlockEnd = "unrecordedBlockEnd";

    private readonly FlowNodeCache _nodes = new();
    private readonly PairBufferSlot _buffers = new();

    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
        throw new NodeExecutionException("map.host", "FlowGram loop nodes run only inside a WorkflowRuntime.", retryable: false);

    public MapStart Start(NodeContext context)
    {
        var parameters = context.Parameters;
        var node = _nodes.Get(context.Node, parameters);
        var refs = parameters["refs"];
        var snapshotInputs = FlowGramNodeExecutor.StoredInputs(node, refs);

        // The items stay the stored array: converting them to JS and back would give the same value.
        var source = EncodedVariables.Resolve(refs, node.LoopForPath);
        var error = source?.Content is not { Kind: ValueKind.Array } ? "Loop \"loopFor\" is required"
            : source.Value.Type != "array" ? "Loop \"loopFor\" must be an array"
            : source.Value.ItemsType is null ? "Loop \"loopFor.items\" must be array items"
            : !parameters["blockStart"].IsTruthy ? "Loop block start node not found"
            : null;
        if (error is not null)
        {
            throw FlowGramErrors.Failed(error, snapshotInputs);
        }

        var items = source!.Value;
        return new MapStart(items.Content!.Value.AsArray()) { BodyView = Value.Object(("itemsType", items.ItemsType)), State = snapshotInputs };
    }

    public Value Complete(NodeContext context, MapStart start, ValueArray results)
    {
        var buffer = _buffers.Rent();
        try
        {
            var node = _nodes.Get(context.Node, context.Parameters);
            var iteration = new LoopAggregation.Iteration(node.LocalsId, start.Items, VariableCodec.Text(start.BodyView["itemsType"]));
            return LoopAggregation.Aggregate(node, context.Parameters["refs"], results, iteration, start.State, buffer);
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    /// <summary>A failed iteration fails the loop with the runtime's error, plus the loop's inputs for its snapshot.</summary>
    public NodeExecutionException ItemFailed(NodeContext context, MapStart start, NodeExecutionException failure)
    {
        var details = failure.Details.Kind == ValueKind.Object ? failure.Details.AsObject() : ValueObject.Empty;
        return new NodeExecutionException(failure.Code, failure.Message, failure.Retryable, Value.From(details.With("inputs", start.State)), failure);
    }
}
