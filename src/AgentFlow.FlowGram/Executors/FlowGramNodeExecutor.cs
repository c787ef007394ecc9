using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// Runs one FlowGram node type on the AgentFlow runtime (js-core's <c>executeNode</c>, §3.2): rebuilds the node's
/// variables from its parameters (the outputs of completed nodes it refers to, globals, loop locals), resolves its
/// inputs, calls the FlowGram executor and records inputs, outputs, variables and the chosen port as its output.
/// </summary>
/// <remarks>
/// Parameters (built by <see cref="Definitions.FlowGramDefinitionMapper"/>): <c>node</c> the schema node,
/// <c>refs</c> the encoded variables by node id, <c>inputs</c> (start only) the workflow inputs, <c>ports</c>
/// (condition only) the ports with edges, <c>noNext</c> when a non-terminating node has no outgoing edge, and
/// <c>locals</c> (block-start only) the loop item and index.
/// </remarks>
internal sealed class FlowGramNodeExecutor(IFlowNodeExecutor inner, TimeProvider time) : INodeExecutor
{
    private readonly FlowNodeCache _nodes = new();

    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var node = _nodes.Get(context.Node, parameters);
        var store = VariableCodec.Store(parameters["refs"]);
        var inputs = ResolveInputs(node, store);

        var run = new NodeRun
        {
            Node = node,
            Inputs = inputs,
            Store = store,
            WorkflowInputs = VariableCodec.ObjectFromValue(parameters["inputs"]),
            Time = time,
        };
        NodeResult result;
        try
        {
            result = await inner.ExecuteAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not NodeExecutionException)
        {
            // js-core records any error's message on the node (§3.2 step 9).
            throw FlowGramErrors.Failed(ex.Message, VariableCodec.ToValue(run.SnapshotInputs ?? inputs), ex);
        }

        var fields = new List<KeyValuePair<string, Value>>
        {
            new("inputs", VariableCodec.ToValue(run.SnapshotInputs ?? inputs)),
            new("outputs", VariableCodec.ToValue(result.Outputs)),
            new("vars", VariableCodec.Encode(VariableCodec.DeclaredOutputs(node, result.Outputs))),
        };
        if (result.Branch is not null)
        {
            fields.Add(new("branch", result.Branch));
        }

        if (parameters["locals"] is { Kind: ValueKind.Object } locals)
        {
            fields.Add(new("locals", Locals(locals)));
        }

        var output = Value.Object(fields);
        if (result.Branch is not null && parameters["ports"] is { Kind: ValueKind.Array } ports && !ports.AsArray().Contains(result.Branch))
        {
            throw FlowGramErrors.FailAfterSuccess($"Branch \"{result.Branch}\" not found", output, reported: true);
        }

        if (parameters["noNext"].IsTruthy)
        {
            throw FlowGramErrors.FailAfterSuccess($"Node \"{node.Id}\" has no next nodes", output, reported: false);
        }

        return output;
    }

    /// <summary>The node's inputs (§1.8); a resolution error fails the node without snapshot inputs.</summary>
    internal static JsObject ResolveInputs(FlowNode node, VariableStore store)
    {
        try
        {
            return FlowValues.ParseInputs(node.Inputs, node.InputsValues, store);
        }
        catch (FlowGramException ex)
        {
            throw FlowGramErrors.Failed(ex.Message, default, ex);
        }
    }

    /// <summary><c>&lt;loopID&gt;_locals</c> of one iteration: the item with the loop's items type and the index (§2.7).</summary>
    private static Value Locals(Value locals)
    {
        var itemsType = locals["itemsType"];
        var item = Value.Object(("type", itemsType), ("items", Value.Null), ("value", locals["item"]));
        var index = Value.Object(("type", "number"), ("items", Value.Null), ("value", locals["index"]));
        return Value.Object(("item", item), ("index", index));
    }
}
