using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// The end of a <c>loop</c> node (§2.7): aggregates <c>loopOutputs</c> over the iterations that ran (break and
/// continue iterations excluded) with the reference's type checks and messages.
/// </summary>
internal static class LoopAggregation
{
    /// <summary>
    /// The loop's output: <paramref name="inputs"/>, the collected <c>outputs</c> and the encoded <c>vars</c>.
    /// <paramref name="iterations"/> holds per iteration the encoded variables of the body nodes <c>loopOutputs</c>
    /// reads (null for a break/continue iteration); <paramref name="outer"/> the loop's encoded references.
    /// </summary>
    public static Value Aggregate(FlowNode node, Value outer, ValueArray iterations, Iteration iteration, Value inputs, PairBuffer buffer)
    {
        var loopOutputs = node.LoopOutputs;
        var counted = 0;
        foreach (var result in iterations.AsSpan())
        {
            counted += result.Kind == ValueKind.Object ? 1 : 0;
        }

        // Read straight from the stored variables, one output at a time over the iterations (the order in which the
        // reference checks them): a collected array stays the stored values rather than JS values converted back.
        var types = new string?[loopOutputs.Length];
        for (var n = 0; n < loopOutputs.Length; n++)
        {
            var path = loopOutputs[n].Path;
            var values = new Value[counted];
            string? expect = null;
            var block = 0;
            for (var index = 0; index < iterations.Count; index++)
            {
                if (iterations[index].Kind != ValueKind.Object)
                {
                    continue;
                }

                ResolvedVariable? variable = null;
                if (path is not null && !iteration.TryGet(iterations[index], index, path, out variable))
                {
                    variable = EncodedVariables.Resolve(outer, path);
                }

                if (variable is not { } found)
                {
                    throw FlowGramErrors.Failed("Cannot read properties of undefined (reading 'type')", inputs);
                }

                expect ??= found.Type;
                if (found.Type != expect)
                {
                    throw FlowGramErrors.Failed($"Array items type must be same, expect {expect}, but got {found.Type}", inputs);
                }

                values[block++] = found.Content ?? Value.Null;
            }

            // Names are unique (the keys of loopOutputs), so the buffer builds the outputs without replacing any.
            buffer.Add(loopOutputs[n].Name, Value.From(new ValueArray(values)));
            types[n] = expect;
        }

        var outputs = buffer.Build();

        // The loop's own variables, each replaced in place by the declared output of its name; then the other
        // declared outputs (js-core sets the collected variables first, then the declared ones over them).
        var declared = node.DeclaredOutputs;
        for (var n = 0; n < loopOutputs.Length; n++)
        {
            var name = loopOutputs[n].Name;
            var replaced = IndexOf(declared, name);
            buffer.Add(name, replaced >= 0 ? Encode(declared[replaced], outputs) : VariableCodec.EncodeVariable("array", types[n], outputs[name]));
        }

        for (var i = 0; i < declared.Length; i++)
        {
            if (!Names(loopOutputs, declared[i].Key))
            {
                buffer.Add(declared[i].Key, Encode(declared[i], outputs));
            }
        }

        return Value.Object(("inputs", inputs), ("outputs", outputs), ("vars", buffer.Build()));
    }

    /// <summary>A declared output's variable: its aggregated value, else its default (which never throws).</summary>
    private static Value Encode(DeclaredOutput output, Value outputs) => VariableCodec.EncodeVariable(
        output.Type, output.ItemsType, outputs.TryGetProperty(output.Key, out var aggregated) ? aggregated : VariableCodec.DefaultOf(output));

    private static bool Names(LoopOutput[] loopOutputs, string key)
    {
        foreach (var output in loopOutputs)
        {
            if (output.Name == key)
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(DeclaredOutput[] declared, string key)
    {
        for (var i = 0; i < declared.Length; i++)
        {
            if (declared[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The variables one iteration adds over the outer ones: <c>&lt;loopID&gt;_locals</c> (item and index) and the
    /// stored variables of the body nodes <c>loopOutputs</c> reads (which take precedence, as decoded after them).
    /// </summary>
    public readonly struct Iteration(string localsId, ValueArray items, string? itemsType)
    {
        /// <summary>
        /// Whether this iteration's scope has variables of node <c>path[0]</c> (when not, the outer scope answers), and
        /// then the variable, null when that node has no such variable.
        /// </summary>
        public bool TryGet(Value bodyVariables, int index, string[] path, out ResolvedVariable? variable)
        {
            var hasNode = EncodedVariables.TryGetNode(bodyVariables, path[0], out var variables);
            variable = hasNode ? EncodedVariables.Get(variables, path) : null;
            if (variable is not null || path[0] != localsId)
            {
                return hasNode;
            }

            var local = path[1] switch
            {
                "item" => new ResolvedVariable(items[index], itemsType, null),
                "index" => new ResolvedVariable(Value.From(index), "number", null),
                _ => default(ResolvedVariable?),
            };
            variable = local is { } found && path.Length > 2 ? EncodedVariables.Path(found.Content, path) : local;
            return true;
        }
    }
}
