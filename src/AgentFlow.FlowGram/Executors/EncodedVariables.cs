using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// Reads variables straight from their stored form (<c>{nodeId: {key: {type, items, value}}}</c>, see
/// <see cref="VariableCodec"/>) as <see cref="VariableStore.Get"/> reads them once decoded, without decoding: a value
/// read whole stays the stored <see cref="Value"/> (what converting it to JS and back gives). The loop nodes pass
/// whole arrays through this way instead of converting them to JS lists and back.
/// </summary>
internal static class EncodedVariables
{
    /// <summary>
    /// The variables of <paramref name="nodeId"/> in <paramref name="scope"/>, when decoding would give that node any:
    /// a node whose entry is not an object with at least one key has none, and lookups fall back to an outer scope.
    /// </summary>
    public static bool TryGetNode(Value scope, string nodeId, out Value variables) =>
        scope.TryGetProperty(nodeId, out variables) && variables.Kind == ValueKind.Object && variables.AsObject().Count > 0;

    /// <summary>A reference read in <paramref name="scope"/> alone (no outer scope); null when missing or no reference.</summary>
    public static ResolvedVariable? Resolve(Value scope, IReadOnlyList<string>? reference) =>
        reference is not null && TryGetNode(scope, reference[0], out var variables) ? Get(variables, reference) : null;

    /// <summary>The variable <c>reference[1]</c> of a node's <paramref name="variables"/>, then the rest of the path; null when missing.</summary>
    public static ResolvedVariable? Get(Value variables, IReadOnlyList<string> reference)
    {
        if (!variables.TryGetProperty(reference[1], out var field))
        {
            return null;
        }

        var content = field.TryGetProperty("value", out var value) ? value : default(Value?);
        var variable = new ResolvedVariable(content, VariableCodec.Text(field["type"]), VariableCodec.Text(field["items"]));
        return reference.Count == 2 ? variable : Path(variable.Content, reference);
    }

    /// <summary>
    /// <c>reference[2..]</c> inside a variable's value, typed by inference (§1.6); rare, so done on JS values with the
    /// store's own rules.
    /// </summary>
    public static ResolvedVariable Path(Value? content, IReadOnlyList<string> reference)
    {
        var variable = VariableStore.Descend(content is { } present ? VariableCodec.FromValue(present) : Js.Undefined, reference);
        return new ResolvedVariable(ReferenceEquals(variable.Value, Js.Undefined) ? null : VariableCodec.ToValue(variable.Value), variable.Type, variable.ItemsType);
    }
}
