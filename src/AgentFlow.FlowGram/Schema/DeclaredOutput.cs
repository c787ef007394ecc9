using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Schema;

/// <summary>One property of a node's <c>outputs</c> schema: the variable it declares (§1.6).</summary>
/// <param name="Key">The property name.</param>
/// <param name="Type">Its <c>type</c> when a string.</param>
/// <param name="ItemsType">Its <c>items.type</c> when a string.</param>
/// <param name="HasDefault">Whether it has a <c>default</c> (which may be null).</param>
/// <param name="Default">The raw <c>default</c>, parsed per use (<see cref="FlowValues.ParseDeclared"/>) as the reference does.</param>
internal sealed record DeclaredOutput(string Key, string? Type, string? ItemsType, bool HasDefault, object? Default)
{
    /// <summary>The declared outputs of an <c>outputs</c> schema, in property order; empty without <c>properties</c>.</summary>
    public static DeclaredOutput[] Of(JsObject? outputs)
    {
        if (outputs?.GetValueOrDefault("properties") is not JsObject properties || properties.Count == 0)
        {
            return [];
        }

        var declared = new DeclaredOutput[properties.Count];
        var i = 0;
        foreach (var (key, raw) in properties)
        {
            var property = raw as JsObject ?? [];
            var hasDefault = property.TryGetValue("default", out var dflt);
            var itemsType = (property.GetValueOrDefault("items") as JsObject)?.GetValueOrDefault("type") as string;
            declared[i++] = new DeclaredOutput(key, property.GetValueOrDefault("type") as string, itemsType, hasDefault, dflt);
        }

        return declared;
    }

    /// <summary>The variable's value when the node output none (null or undefined): the parsed default, else undefined.</summary>
    public object? DefaultValue() => HasDefault ? FlowValues.ParseDeclared(Default, Type) : Js.Undefined;
}
