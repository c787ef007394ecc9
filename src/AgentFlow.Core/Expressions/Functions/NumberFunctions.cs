using System.Globalization;
using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Functions;

/// <summary>Numeric helpers, conversions and the clock.</summary>
internal static class NumberFunctions
{
    /// <summary>Round-trip ISO-8601 with an explicit offset, e.g. <c>2026-01-01T00:00:00.0000000+00:00</c>.</summary>
    public const string NowFormat = "O";

    public static IEnumerable<FunctionDefinition> All() =>
    [
        new("abs", 1, 1, "abs(number)", (args, in ctx) => Math.Abs(Arguments.Number(args, 0, "abs(number)", ctx))),
        new("floor", 1, 1, "floor(number)", (args, in ctx) => Math.Floor(Arguments.Number(args, 0, "floor(number)", ctx))),
        new("ceil", 1, 1, "ceil(number)", (args, in ctx) => Math.Ceiling(Arguments.Number(args, 0, "ceil(number)", ctx))),
        new("round", 1, 2, "round(number, number?)", Round),
        new("min", 1, int.MaxValue, "min(number, number...)", (args, in ctx) => Extreme(args, ctx, max: false)),
        new("max", 1, int.MaxValue, "max(number, number...)", (args, in ctx) => Extreme(args, ctx, max: true)),
        new("sum", 1, 1, "sum(array)", Sum),
        new("toNumber", 1, 1, "toNumber(number | string | boolean | null)", ToNumber),
        new("toString", 1, 1, "toString(any)", (args, in ctx) => ValueText.Stringify(args[0])),
        new("now", 0, 0, "now()", (args, in ctx) => ctx.Scope.Time.GetUtcNow().ToString(NowFormat, CultureInfo.InvariantCulture), readsScope: true),
    ];

    /// <summary>Rounds half away from zero (2.5 → 3, -2.5 → -3), the rule people expect, not banker's rounding.</summary>
    private static Value Round(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "round(number, number?)";
        var number = Arguments.Number(args, 0, Signature, context);
        var digits = args.Length > 1 ? Arguments.Number(args, 1, Signature, context) : 0;
        if (digits is < 0 or > 15 || Math.Floor(digits) != digits)
        {
            throw context.Error($"Function {Signature} needs a whole number of digits from 0 to 15, not {Value.FormatNumber(digits)}");
        }

        return Math.Round(number, (int)digits, MidpointRounding.AwayFromZero);
    }

    private static Value Sum(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "sum(array)";
        var items = Arguments.Array(args, 0, Signature, context).AsSpan();
        var total = 0d;
        for (var i = 0; i < items.Length; i++)
        {
            total += Arguments.Number(items, i, Signature, context);
        }

        return total;
    }

    private static Value Extreme(ReadOnlySpan<Value> args, in EvalContext context, bool max)
    {
        var signature = max ? "max(number, number...)" : "min(number, number...)";
        if (args.Length == 1 && args[0].Kind == ValueKind.Array)
        {
            // One array argument means "over its items", as in max(pluck(lines, 'total')).
            args = args[0].AsArray().AsSpan();
            if (args.Length == 0)
            {
                throw context.Error($"Function {signature} needs at least one number; the array is empty");
            }
        }

        var result = Arguments.Number(args, 0, signature, context);
        for (var i = 1; i < args.Length; i++)
        {
            var number = Arguments.Number(args, i, signature, context);
            result = max ? Math.Max(result, number) : Math.Min(result, number);
        }

        return result;
    }

    private static Value ToNumber(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "toNumber(number | string | boolean | null)";
        var value = args[0];
        switch (value.Kind)
        {
            case ValueKind.Number:
                return value;
            case ValueKind.Null:
                return 0;
            case ValueKind.Boolean:
                return value.AsBoolean() ? 1 : 0;
            case ValueKind.String:
                var text = value.AsString();
                if (double.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    return number;
                }

                throw context.Error($"Function {Signature} cannot convert '{(text.Length > 40 ? text[..40] + "..." : text)}' to a number");
            default:
                throw Arguments.Mismatch(args, 0, Signature, context);
        }
    }
}
