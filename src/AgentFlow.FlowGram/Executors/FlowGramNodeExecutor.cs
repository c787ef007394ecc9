using System.Runtime.CompilerServices;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Nodes;
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
/// <c>locals</c> (block-start only) the loop item and index. Variables are decoded into JS values only for nodes that
/// declare inputs; start, end, block-start and block-end, which only pass values on, keep them in their stored form.
/// </remarks>
internal sealed class FlowGramNodeExecutor(IFlowNodeExecutor inner, TimeProvider time) : INodeExecutor
{
    // What a node records when it has no inputs, outputs, variables, branch or locals (block-end, say): immutable, shared.
    private static readonly Value EmptyOutput = Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject)).AsConstant();

    private readonly FlowNodeCache _nodes = new();
    private readonly PairBufferSlot _buffers = new();
    private readonly IndexVariables _indexes = new();
    private readonly ConditionalWeakTable<FlowNode, EncodedInputs.Plan> _plans = [];
    private readonly BranchOutputs _branches = new();

    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var node = _nodes.Get(context.Node, parameters);
        return inner switch
        {
            // These only pass values on: no run to build and no executor to call, and values that stay stored Values.
            EmptyExecutor or StartExecutor or EndExecutor => new(PassThrough(node, parameters)),

            // A condition that records only its branch: no run, result or JS objects to build for it.
            ConditionExecutor condition when !node.DeclaresInputs && node.DeclaredOutputs.Length == 0 => new(Condition(condition, node, parameters)),
            _ => RunAsync(node, parameters, cancellationToken),
        };
    }

    /// <summary>
    /// block-start and block-end (empty outputs), start (the workflow inputs) and end (its inputs) as their executors
    /// would run them, with the outputs kept in their stored form.
    /// </summary>
    private Value PassThrough(FlowNode node, Value parameters)
    {
        if (inner is EmptyExecutor && !node.DeclaresInputs && node.DeclaredOutputs.Length == 0)
        {
            // block-start and block-end as schemas give them: nothing to resolve or encode, so no buffer to take.
            return Finish(node, parameters, Record(Value.EmptyObject, Value.EmptyObject, Value.EmptyObject, null, parameters["locals"]));
        }

        var buffer = _buffers.Rent();
        try
        {
            if (!(inner is EndExecutor && node.DeclaresInputs && EncodedInputs.TryResolve(PlanOf(node), parameters["refs"], buffer, out var inputs)))
            {
                inputs = StoredInputs(node, parameters["refs"]);
            }

            var outputs = inner switch
            {
                StartExecutor => parameters["inputs"] is { Kind: ValueKind.Object } workflowInputs ? workflowInputs : Value.EmptyObject,
                EndExecutor => inputs,
                _ => Value.EmptyObject,
            };
            return Finish(node, parameters, Output(node, inputs, outputs, null, null, parameters["locals"], buffer));
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    /// <summary>A condition node without inputs or declared outputs as <see cref="RunAsync"/> would run it.</summary>
    private Value Condition(ConditionExecutor condition, FlowNode node, Value parameters)
    {
        string? branch;
        try
        {
            branch = condition.Branch(node, parameters["refs"]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not NodeExecutionException)
        {
            throw FlowGramErrors.Failed(ex.Message, Value.EmptyObject, ex);
        }

        // No locals to record: the mapper gives them to a block-start only.
        return Finish(node, parameters, branch is null ? EmptyOutput : _branches.Get(node, branch), branch);
    }

    private async ValueTask<Value> RunAsync(FlowNode node, Value parameters, CancellationToken cancellationToken)
    {
        var refs = parameters["refs"];
        var store = node.DeclaresInputs ? VariableCodec.Store(refs) : null;
        var run = store is null
            ? new NodeRun { Node = node, EncodedRefs = refs, EncodedWorkflowInputs = parameters["inputs"], Time = time }
            : new NodeRun { Node = node, EncodedRefs = refs, Store = store, Inputs = ResolveInputs(node, store), EncodedWorkflowInputs = parameters["inputs"], Time = time };
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
            throw FlowGramErrors.Failed(ex.Message, ToValue(run.ShownInputs), ex);
        }

        var buffer = _buffers.Rent();
        try
        {
            var inputs = ToValue(run.ShownInputs);

            // The same object when the executor outputs its inputs: converted once.
            var outputs = ReferenceEquals(result.Outputs, run.ShownInputs) ? inputs : VariableCodec.ToValue(result.Outputs);
            return Finish(node, parameters, Output(node, inputs, outputs, result.Outputs, result.Branch, parameters["locals"], buffer), result.Branch);
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    /// <summary>The input plan of a node (nodes are cached per definition node, so this is built once per node).</summary>
    private EncodedInputs.Plan PlanOf(FlowNode node) =>
        _plans.TryGetValue(node, out var plan) ? plan : _plans.GetValue(node, EncodedInputs.Plan.Of);

    /// <summary>The node's output after js-core's checks that fail a node that succeeded.</summary>
    private static Value Finish(FlowNode node, Value parameters, Value output, string? branch = null)
    {
        if (branch is not null && parameters["ports"] is { Kind: ValueKind.Array } ports && !HasPort(ports, branch))
        {
            throw FlowGramErrors.FailAfterSuccess($"Branch \"{branch}\" not found", output, reported: true);
        }

        if (parameters["noNext"].IsTruthy)
        {
            throw FlowGramErrors.FailAfterSuccess($"Node \"{node.Id}\" has no next nodes", output, reported: false);
        }

        return output;
    }

    /// <summary>
    /// The recorded output: <c>{inputs, outputs, vars, branch?, locals?}</c>. <paramref name="jsOutputs"/> are the
    /// executor's outputs when it made JS values (they decide which declared outputs take their default).
    /// </summary>
    private Value Output(FlowNode node, Value inputs, Value outputs, JsObject? jsOutputs, string? branch, Value locals, PairBuffer buffer) =>
        Record(inputs, outputs, VariableCodec.EncodeDeclared(node, jsOutputs, outputs, buffer), branch, locals);

    /// <summary>The recorded output of the parts: <c>{inputs, outputs, vars, branch?, locals?}</c>.</summary>
    private Value Record(Value inputs, Value outputs, Value vars, string? branch, Value locals)
    {
        var hasLocals = locals.Kind == ValueKind.Object;
        if (branch is null && !hasLocals && IsEmpty(inputs) && IsEmpty(outputs) && IsEmpty(vars))
        {
            return EmptyOutput;
        }

        // Each shape built at its exact size: one entries array per object, no scratch buffer to copy from.
        return (branch, hasLocals) switch
        {
            (null, false) => Value.Object(("inputs", inputs), ("outputs", outputs), ("vars", vars)),
            (null, true) => Value.Object(("inputs", inputs), ("outputs", outputs), ("vars", vars), ("locals", Locals(locals))),
            (_, false) => Value.Object(("inputs", inputs), ("outputs", outputs), ("vars", vars), ("branch", branch)),
            _ => Value.Object(("inputs", inputs), ("outputs", outputs), ("vars", vars), ("branch", branch), ("locals", Locals(locals))),
        };
    }

    /// <summary>Inputs as stored; none made is the empty object.</summary>
    private static Value ToValue(JsObject? inputs) => inputs is null ? Value.EmptyObject : VariableCodec.ToValue(inputs);

    // A loop over the span: Enumerable.Contains would box an enumerator on every condition run.
    private static bool HasPort(Value ports, string branch)
    {
        foreach (var port in ports.AsArray().AsSpan())
        {
            if (port.Kind == ValueKind.String && port.AsString() == branch)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEmpty(Value value) => value.Kind == ValueKind.Object && value.AsObject().Count == 0;

    /// <summary>The node's inputs (§1.8) as stored, from its encoded <c>refs</c> (decoded only when it declares inputs).</summary>
    internal static Value StoredInputs(FlowNode node, Value refs) =>
        node.DeclaresInputs ? VariableCodec.ToValue(ResolveInputs(node, VariableCodec.Store(refs))) : Value.EmptyObject;

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
    private Value Locals(Value locals) => Value.Object(
        ("item", Value.Object(("type", locals["itemsType"]), ("items", Value.Null), ("value", locals["item"]))),
        ("index", _indexes.Get(locals["index"])));
}
