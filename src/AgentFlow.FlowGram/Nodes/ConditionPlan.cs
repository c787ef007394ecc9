using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary>
/// What of a condition node depends only on its schema, worked out once per node (§2.5): per condition item its key,
/// left reference, operator and right-hand side, and the error every run of the node throws when an item is malformed.
/// Only the variables the items refer to are read per run. Immutable once built.
/// </summary>
internal sealed class ConditionPlan
{
    private ConditionPlan(Item[]? items, string? error)
    {
        Items = items;
        Error = error;
    }

    /// <summary>The condition items in order; null when the node has no <c>conditions</c> list (no branch then).</summary>
    public Item[]? Items { get; }

    /// <summary>
    /// The message of the first malformed item (a left side that is not a ref, a right side of an unknown type):
    /// js-core checks every item before evaluating any, so such a node fails on every run whatever the variables.
    /// </summary>
    public string? Error { get; }

    public static ConditionPlan Of(FlowNode node)
    {
        if (node.Data.GetValueOrDefault("conditions") is not List<object?> conditions)
        {
            return new ConditionPlan(null, null);
        }

        var items = new List<Item>(conditions.Count);
        foreach (var entry in conditions)
        {
            if (entry is not JsObject item)
            {
                continue;
            }

            var value = item.GetValueOrDefault("value") as JsObject ?? [];
            var left = value.GetValueOrDefault("left", Js.Undefined);
            if (left is not JsObject leftRef || leftRef.GetValueOrDefault("type") as string != "ref")
            {
                return new ConditionPlan(null, $"Invalid ref value: {Js.ToJsString(left)}");
            }

            var leftReference = FlowValues.ReferenceOf(leftRef.GetValueOrDefault("content"));
            var op = Js.ToJsString(value.GetValueOrDefault("operator", Js.Undefined));
            var right = Side.None;
            if (value.TryGetValue("right", out var rightValue) && rightValue is not null)
            {
                if (RightOf(rightValue, out var error) is not { } side)
                {
                    return new ConditionPlan(null, error);
                }

                right = side;
            }

            items.Add(new Item(Js.ToJsString(item.GetValueOrDefault("key", Js.Undefined)), leftReference, op, right));
        }

        return new ConditionPlan([.. items], null);
    }

    /// <summary>A right-hand flow value as <see cref="FlowValues.Resolve"/> reads it; null with the error it throws.</summary>
    private static Side? RightOf(object flowValue, out string? error)
    {
        error = null;
        var value = flowValue as JsObject;
        var type = value?.GetValueOrDefault("type", Js.Undefined) ?? Js.Undefined;
        var content = value?.GetValueOrDefault("content", Js.Undefined) ?? Js.Undefined;
        switch (type)
        {
            case "constant":
                // Only an array is parsed from a string among the right-hand types the operator table names.
                return Js.IsNil(content) ? Side.None : new Side(SideKind.Constant, content, FlowValues.ParseDeclared(content, "array"), null, null);
            case "ref":
                return FlowValues.ReferenceOf(content) is { } reference ? new Side(SideKind.Ref, null, null, reference, null) : Side.None;
            case "template":
                return content is string { Length: > 0 } template ? new Side(SideKind.Template, null, null, null, template) : Side.None;
            case string other when other.Length > 0:
                error = $"Unknown flow value type: {other}";
                return null;
            default:
                error = $"Invalid flow value type: {Js.ToJsString(type)}";
                return null;
        }
    }

    /// <summary>One condition item; <see cref="Left"/> is null when the ref is too short to find a variable.</summary>
    internal sealed record Item(string Key, string[]? Left, string Operator, Side Right);

    /// <summary>
    /// A right-hand side: nothing (type <c>null</c>), a constant (as given and as parsed for an <c>array</c> right
    /// type), a reference, or a template rendered per run.
    /// </summary>
    internal sealed record Side(SideKind Kind, object? Constant, object? ConstantArray, string[]? Reference, string? Template)
    {
        public static readonly Side None = new(SideKind.None, null, null, null, null);
    }

    internal enum SideKind
    {
        None,
        Constant,
        Ref,
        Template,
    }
}
