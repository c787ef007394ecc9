using System.Globalization;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>condition</c>: the first matching item's key is the branch, else <c>else</c> (§2.5).</summary>
internal sealed class ConditionExecutor : IFlowNodeExecutor
{
    public ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken)
    {
        if (run.Node.Data.GetValueOrDefault("conditions") is not List<object?> conditions)
        {
            return new(new NodeResult([]));
        }

        var store = run.Store;
        var parsed = new List<(string Key, string LeftType, object? Left, string Op, object? Right, string RightType)>();
        foreach (var item in conditions.OfType<JsObject>())
        {
            var value = item.GetValueOrDefault("value") as JsObject ?? [];
            var left = value.GetValueOrDefault("left", Js.Undefined);
            if (left is not JsObject leftRef || leftRef.GetValueOrDefault("type") as string != "ref")
            {
                throw new FlowGramException($"Invalid ref value: {Js.ToJsString(left)}");
            }

            var leftVar = FlowValues.Ref(leftRef.GetValueOrDefault("content"), store);
            var leftValue = Js.IsNil(leftVar?.Value) ? null : leftVar!.Value;
            var leftType = leftVar?.Type ?? "null";
            var op = Js.ToJsString(value.GetValueOrDefault("operator", Js.Undefined));
            var expected = ConditionRules.TryGetType(leftType, out var ops) && ops.TryGetValue(op, out var t) ? t : "null";
            object? rightValue = null;
            var rightType = "null";
            if (value.TryGetValue("right", out var right) && right is not null)
            {
                var rightVar = FlowValues.Resolve(right, expected, store);
                if (rightVar is not null)
                {
                    rightValue = rightVar.Value;
                    rightType = rightVar.Type ?? "null";
                }
            }

            parsed.Add((Js.ToJsString(item.GetValueOrDefault("key", Js.Undefined)), leftType, leftValue, op, rightValue, rightType));
        }

        var branch = "else";
        foreach (var (key, leftType, left, op, right, rightType) in parsed)
        {
            if (!ConditionRules.TryGetType(leftType, out var ops))
            {
                throw new FlowGramException($"Condition left type \"{leftType}\" is not supported");
            }

            if (!ops.TryGetValue(op, out var rule))
            {
                throw new FlowGramException($"Condition left type \"{leftType}\" has no operator \"{op}\"");
            }

            if (!RuntimeTypes.IsTypeEqual(rule, rightType))
            {
                continue;
            }

            if (Evaluate(leftType, op, left, right))
            {
                branch = key;
                break;
            }
        }

        return new(new NodeResult([], branch));
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
