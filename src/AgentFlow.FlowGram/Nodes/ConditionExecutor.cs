using System.Globalization;
using System.Runtime.CompilerServices;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>condition</c>: the first matching item's key is the branch, else <c>else</c> (§2.5).</summary>
internal sealed class ConditionExecutor : IFlowNodeExecutor
{
    // Plans per schema node: nodes are cached per definition node, so each plan is built once per node.
    private readonly ConditionalWeakTable<FlowNode, ConditionPlan> _plans = [];

    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken) =>
        new(new NodeResult([], Branch(run.Node, run.EncodedRefs)));

    /// <summary>
    /// The chosen port of one run from the node's stored variables (its <c>refs</c> parameter); null when the node has
    /// no <c>conditions</c> list.
    /// </summary>
    /// <exception cref="FlowGramException">An item is malformed, or its left type or operator is not in the table.</exception>
    public string? Branch(FlowNode node, Value refs)
    {
        var plan = _plans.TryGetValue(node, out var known) ? known : _plans.GetValue(node, ConditionPlan.Of);
        if (plan.Error is { } error)
        {
            throw new FlowGramException(error);
        }

        if (plan.Items is not { } items)
        {
            return null;
        }

        // Decoded only for a path inside a variable or a template: most conditions compare a variable with a constant.
        VariableStore? store = null;

        // Items are resolved and checked in order and the first match ends the loop: resolving reads variables only,
        // so the items after it (which js-core resolves too) cannot change the branch or the error.
        var branch = "else";
        foreach (var item in items)
        {
            var (left, leftType) = Read(refs, ref store, item.Left);
            left = Js.IsNil(left) ? null : left;
            leftType ??= "null";
            if (!ConditionRules.TryGetType(leftType, out var ops))
            {
                throw new FlowGramException($"Condition left type \"{leftType}\" is not supported");
            }

            if (!ops.TryGetValue(item.Operator, out var rule))
            {
                throw new FlowGramException($"Condition left type \"{leftType}\" has no operator \"{item.Operator}\"");
            }

            var (right, rightType) = Right(refs, ref store, item.Right, rule);
            if (!RuntimeTypes.IsTypeEqual(rule, rightType))
            {
                continue;
            }

            if (Evaluate(leftType, item.Operator, left, right))
            {
                branch = item.Key;
                break;
            }
        }

        return branch;
    }

    /// <summary>
    /// A referenced variable's value and type (null type when not found), as the node's variable store would give it:
    /// read from the stored variables without decoding the others.
    /// </summary>
    private static (object? Value, string? Type) Read(Value refs, ref VariableStore? store, string[]? reference)
    {
        if (reference is null)
        {
            return (null, null);
        }

        if (reference.Length > 2)
        {
            // A path inside a variable: rare, left to the store's own rules.
            store ??= VariableCodec.Store(refs);
            return store.Get(reference) is { } found ? (found.Value, found.Type) : (null, null);
        }

        if (EncodedVariables.Resolve(refs, reference) is not { } variable)
        {
            return (null, null);
        }

        return (variable.Content is { } content ? VariableCodec.FromValue(content) : Js.Undefined, variable.Type);
    }

    /// <summary>The right-hand value and type as <see cref="FlowValues.Resolve"/> gives them for the required type.</summary>
    private static (object? Value, string Type) Right(Value refs, ref VariableStore? store, ConditionPlan.Side side, string expected)
    {
        switch (side.Kind)
        {
            case ConditionPlan.SideKind.Constant:
                return (expected == "array" ? side.ConstantArray : side.Constant, expected);
            case ConditionPlan.SideKind.Ref:
                var (value, type) = Read(refs, ref store, side.Reference);
                return type is null && value is null ? (null, "null") : (value, type ?? "null");
            case ConditionPlan.SideKind.Template:
                store ??= VariableCodec.Store(refs);
                return (FlowValues.Render(side.Template!, store), "string");
            default:
                return (null, "null");
        }
    }

    private static bool Evaluate(string type, string op, object? left, object? right)
    {
        switch (op)
        {
            case "is_empty":
                return type == "null" || Js.IsNil(left);
            case "is_not_empty":
                return type != "null" && !Js.IsNil(left);
            case "in":
                return Includes(right, left);
            case "nin":
                return !Includes(right, left);
        }

        return type switch
        {
            "string" => op switch
            {
                "eq" => StrictEquals(left, right),
                "neq" => !StrictEquals(left, right),
                "contains" => left is string l && right is string r && l.Contains(r, StringComparison.Ordinal),
                "not_contains" => !(left is string l2 && right is string r2 && l2.Contains(r2, StringComparison.Ordinal)),
                _ => false,
            },
            "number" or "integer" => Compare(op, left, right, ToNumber),
            "boolean" => op switch
            {
                "eq" => StrictEquals(left, right),
                "neq" => !StrictEquals(left, right),
                "is_true" => left is true,
                "is_false" => left is false,
                _ => false,
            },
            "date-time" => Compare(op, RuntimeTypes.DateTimeMillis(left ?? "x"), RuntimeTypes.DateTimeMillis(right ?? "x"), v => (double)v!),
            "null" => op == "eq" && Js.IsNil(left) && Js.IsNil(right),
            _ => false,
        };
    }

    private static bool Compare(string op, object? left, object? right, Func<object?, double> toNumber) => op switch
    {
        "eq" => left is double a ? right is double b && a == b : StrictEquals(left, right),
        "neq" => !(left is double a2 ? right is double b2 && a2 == b2 : StrictEquals(left, right)),
        "gt" => toNumber(left) > toNumber(right),
        "gte" => toNumber(left) >= toNumber(right),
        "lt" => toNumber(left) < toNumber(right),
        "lte" => toNumber(left) <= toNumber(right),
        _ => false,
    };

    private static bool Includes(object? container, object? item) => container switch
    {
        List<object?> list => list.Any(i => StrictEquals(i, item)),
        string s => s.Contains(Js.ToJsString(item), StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>JS <c>ToNumber</c> for relational comparison.</summary>
    private static double ToNumber(object? value) => value switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        null => 0,
        string s when s.Trim().Length == 0 => 0,
        string s => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN,
        _ => double.NaN,
    };

    private static bool StrictEquals(object? a, object? b) => a switch
    {
        null => b is null,
        string s => b is string t && s == t,
        double d => b is double e && d == e,
        bool x => b is bool y && x == y,
        _ => ReferenceEquals(a, b),
    };
}
