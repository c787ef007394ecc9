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
    public static bool TryResolve(Plan plan, Value refs, PairBuffer buffer, out Value inputs)
    {
        inputs = Value.EmptyObject;
        if (plan.Sources is not { } sources)
        {
            return false;
        }

        foreach (var source in sources)
        {
            if (source.Reference is null)
            {
                buffer.Add(source.Key, source.Constant);
            }
            else if (EncodedVariables.Resolve(refs, source.Reference) is { } variable && RuntimeTypes.IsTypeEqual(variable.Type, source.Declared))
            {
                // An undefined variable is kept as a key in JS, which its stored form drops.
                if (variable.Content is { } present)
                {
                    buffer.Add(source.Key, present);
                }
            }
        }

        inputs = buffer.Build();
        return true;
    }

    /// <summary>
    /// What of a node's inputs depends only on its schema, worked out once per node: per declared input in
    /// <c>inputsValues</c> order, its constant (parsed, type-checked and stored) or its reference path. Immutable.
    /// </summary>
    internal sealed class Plan
    {
        private Plan(Source[]? sources) => Sources = sources;

        /// <summary>The inputs to resolve; null when a flow value is neither <c>constant</c> nor <c>ref</c>.</summary>
        public Source[]? Sources { get; }

        public static Plan Of(FlowNode node)
        {
            var properties = node.Inputs?.GetValueOrDefault("properties") as JsObject;
            foreach (var (_, flowValue) in node.InputsValues ?? [])
            {
                if ((flowValue as JsObject)?.GetValueOrDefault("type") is not ("constant" or "ref"))
                {
                    return new Plan(null);
                }
            }

            var sources = new List<Source>();
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
                        // Parsed and checked as every run would: the same content and declared type give the same value.
                        var constant = FlowValues.ParseDeclared(content, declared);
                        if (RuntimeTypes.IsTypeEqual(declared ?? RuntimeTypes.Infer(constant), declared))
                        {
                            sources.Add(new Source(key, declared, null, VariableCodec.ToValue(constant)));
                        }
                    }
                }
                else if (FlowValues.ReferenceOf(content) is { } reference)
                {
                    sources.Add(new Source(key, declared, reference, Value.Null));
                }
            }

            return new Plan([.. sources]);
        }
    }

    /// <summary>One declared input: a constant already stored, or a reference (then <see cref="Constant"/> is unused).</summary>
    internal sealed record Source(string Key, string? Declared, string[]? Reference, Value Constant);
}
