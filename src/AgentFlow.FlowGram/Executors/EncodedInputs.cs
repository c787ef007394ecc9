using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// A node's inputs (§1.8) resolved straight from its encoded <c>refs</c> into their stored form, for nodes that only
/// record their inputs (end): what <see cref="FlowValues.ParseInputs"/> and then <see cref="VariableCodec.ToValue"/>
/// give, without decoding the referenced variables into JS values and converting them back.
/// </summary>
internal static class EncodedInputs
{
    /// <summary>
    /// The stored inputs, or false when a flow value is neither <c>constant</c> nor <c>ref</c>: templates and the
    /// errors of unknown types are left to <see cref="FlowValues.ParseInputs"/>.
    /// </summary>
    public static bool TryResolve(FlowNode node, Value refs, PairBuffer buffer, out Value inputs)
    {
        inputs = Value.EmptyObject;
        var properties = node.Inputs?.GetValueOrDefault("properties") as JsObject;
        foreach (var (_, flowValue) in node.InputsValues ?? [])
        {
            if ((flowValue as JsObject)?.GetValueOrDefault("type") is not ("constant" or "ref"))
            {
                return false;
            }
        }

        foreach (var (key, flowValue) in node.InputsValues ?? [])
        {
            if (properties?.GetValueOrDefault(key) is not JsObject property)
            {
                continue;
            }

            var declared = property.GetValueOrDefault("type") as string;
            var value = (JsObject)flowValue!;
            var content = value.GetValueOrDefault("content", Js.Undefined);
            if (value["type"] is "constant")
            {
                if (!Js.IsNil(content))
                {
                    var constant = FlowValues.ParseDeclared(content, declared);
                    if (RuntimeTypes.IsTypeEqual(declared ?? RuntimeTypes.Infer(constant), declared))
                    {
                        buffer.Add(key, VariableCodec.ToValue(constant));
                    }
                }
            }
            else if (EncodedVariables.Resolve(refs, FlowValues.ReferenceOf(content)) is { } variable && RuntimeTypes.IsTypeEqual(variable.Type, declared))
            {
                // An undefined variable is kept as a key in JS, which its stored form drops.
                if (variable.Content is { } present)
                {
                    buffer.Add(key, present);
                }
            }
        }

        inputs = buffer.Build();
        return true;
    }
}
