using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// The last part of a <c>loop</c> node (§2.7): aggregates <c>loopOutputs</c> over the iterations the map node ran
/// (break and continue iterations excluded) with the reference's type checks and messages.
/// </summary>
/// <remarks>
/// Parameters: <c>node</c>, <c>refs</c> (outer variables), <c>results</c> (the map output: per iteration the
/// encoded variables of the body nodes <c>loopOutputs</c> reads, null for a break/continue iteration),
/// <c>items</c> and <c>itemsType</c> (from the loop's first part, for <c>&lt;loopID&gt;_locals</c>).
/// </remarks>
internal sealed class LoopOutExecutor : INodeExecutor, Runtime.Executors.ILocalNode
{
    private readonly FlowNodeCache _nodes = new();

    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var node = _nodes.Get(context.Node, parameters);
        var outer = VariableCodec.Store(parameters["refs"]);
        var loopOutputs = node.Data.GetValueOrDefault("loopOutputs") as JsObject ?? [];
        var results = parameters["results"];
        var items = parameters["items"];
        var itemsType = parameters["itemsType"].Kind == ValueKind.String ? parameters["itemsType"].AsString() : null;
        var iterations = results.Kind == ValueKind.Array ? results.AsArray() : ValueArray.Empty;
        var collected = new List<Dictionary<string, Variable>>(iterations.Count);
        var localsId = node.Id + "_locals";
        for (var index = 0; index < iterations.Count; index++)
        {
            var iteration = iterations[index];
            if (iteration.Kind != ValueKind.Object)
            {
                continue;
            }

            var store = new VariableStore(outer);
            store.Set(localsId, "item", new Variable(VariableCodec.FromValue(items[index]), itemsType));
            store.Set(localsId, "index", new Variable((double)index, "number"));
            foreach (var (id, encoded) in iteration.AsObject())
            {
                VariableCodec.Decode(encoded, id, store);
            }

            var block = new Dictionary<string, Variable>(StringComparer.Ordinal);
            foreach (var (name, reference) in loopOutputs)
            {
                if (FlowValues.Ref((reference as JsObject)?.GetValueOrDefault("content"), store) is { } value)
                {
                    block[name] = value;
                }
            }

            collected.Add(block);
        }

        var outputs = new JsObject();
        var variables = new Dictionary<string, Variable>(StringComparer.Ordinal);
        foreach (var name in loopOutputs.Keys)
        {
            string? expect = null;
            foreach (var block in collected)
            {
                if (!block.TryGetValue(name, out var variable))
                {
                    throw FlowGramErrors.Failed("Cannot read properties of undefined (reading 'type')", default);
                }

                expect ??= variable.Type;
                if (variable.Type != expect)
                {
                    throw FlowGramErrors.Failed($"Array items type must be same, expect {expect}, but got {variable.Type}", default);
                }
            }

            var values = new List<object?>(collected.Count);
            foreach (var block in collected)
            {
                values.Add(block[name].Value);
            }

            outputs[name] = values;
            variables[name] = new Variable(values, "array", expect);
        }

        foreach (var (key, variable) in VariableCodec.DeclaredOutputs(node, outputs))
        {
            variables[key] = variable;
        }

        return new(Value.Object(("outputs", VariableCodec.ToValue(outputs)), ("vars", VariableCodec.Encode(variables))));
    }
}
