using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// The first part of a <c>loop</c> node (§2.7): resolves its inputs and <c>loopFor</c>, checks them with the
/// reference's messages, and outputs the items the runtime's map node iterates sequentially.
/// </summary>
/// <remarks>Parameters: <c>node</c> (the loop, without its blocks), <c>refs</c>, <c>blockStart</c> (whether the body has one).</remarks>
internal sealed class LoopForExecutor : INodeExecutor, Runtime.Executors.ILocalNode
{
    private readonly FlowNodeCache _nodes = new();
    private readonly PairBufferSlot _buffers = new();

    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var node = _nodes.Get(context.Node, parameters);
        var refs = parameters["refs"];
        var snapshotInputs = FlowGramNodeExecutor.StoredInputs(node, refs);
        var loopFor = node.Data.GetValueOrDefault("loopFor") as JsObject;

        // The items stay the stored array: converting them to JS and back would give the same value.
        var source = EncodedVariables.Resolve(refs, FlowValues.ReferenceOf(loopFor?.GetValueOrDefault("content")));
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
        var buffer = _buffers.Rent();
        try
        {
            buffer.Add("inputs", snapshotInputs);
            buffer.Add("items", items.Content!.Value);
            buffer.Add("itemsType", items.ItemsType);
            return new(buffer.Build());
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }
}
