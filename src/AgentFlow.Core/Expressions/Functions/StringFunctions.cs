using System.Globalization;
using System.Text;
using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Functions;

/// <summary>Text functions. All comparisons are ordinal and case mapping is invariant, so results never depend on the host culture.</summary>
internal static class StringFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        new("length", 1, 1, "length(string | array)", Length),
        new("contains", 2, 2, "contains(string, string) or contains(array, any)", Contains),
        new("startsWith", 2, 2, "startsWith(string, string)", (args, in ctx) => StartsOrEnds(args, ctx, start: true)),
        new("endsWith", 2, 2, "endsWith(string, string)", (args, in ctx) => StartsOrEnds(args, ctx, start: false)),
        new("lower", 1, 1, "lower(string)", (args, in ctx) => Arguments.String(args, 0, "lower(string)", ctx).ToLowerInvariant()),
        new("upper", 1, 1, "upper(string)", (args, in ctx) => Arguments.String(args, 0, "upper(string)", ctx).ToUpperInvariant()),
        new("trim", 1, 1, "trim(string)", (args, in ctx) => Arguments.String(args, 0, "trim(string)", ctx).Trim()),
        new("split", 2, 2, "split(string, string)", Split),
        new("format", 1, int.MaxValue, "format(string, any...)", Format),
    ];

    private static Value Length(ReadOnlySpan<Value> args, in EvalContext context) => args[0].Kind switch
    {
        ValueKind.String => args[0].AsString().Length,
        ValueKind.Array => args[0].AsArray().Count,
        _ => throw Arguments.Mismatch(args, 0, "length(string | array)", context),
    };

    private static Value Contains(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "contains(string, string) or contains(array, any)";
        switch (args[0].Kind)
        {
            case ValueKind.String:
                return args[0].AsString().Contains(Arguments.String(args, 1, Signature, context), StringComparison.Ordinal);
            case ValueKind.Array:
                foreach (var item in args[0].AsArray().AsSpan())
                {
                    if (item.Equals(args[1]))
                    {
                        return true;
                    }
                }

                return false;
            default:
                throw Arguments.Mismatch(args, 0, Signature, context);
        }
    }

    private static Value StartsOrEnds(ReadOnlySpan<Value> args, in EvalContext context, bool start)
    {
        var signature = start ? "startsWith(string, string)" : "endsWith(string, string)";
        var text = Arguments.String(args, 0, signature, context);
        var affix = Arguments.String(args, 1, signature, context);
        return start ? text.StartsWith(affix, StringComparison.Ordinal) : text.EndsWith(affix, StringComparison.Ordinal);
    }

    private static Value Split(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "split(string, string)";
        var text = Arguments.String(args, 0, Signature, context);
        var separator = Arguments.String(args, 1, Signature, context);
        if (separator.Length == 0)
        {
            throw context.Error($"Function {Signature} needs a non-empty separator");
        }

        var parts = text.Split(separator);
        ValueText.CheckCount(parts.Length, "split", context);
        var values = new Value[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            values[i] = parts[i];
        }

        return Value.From(new ValueArray(values));
    }

    /// <summary><c>{0}</c>-style placeholders with <c>{{</c> and <c>}}</c> as literal braces; our own parser, so no format specifiers and no culture.</summary>
    private static Value Format(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "format(string, any...)";
        var pattern = Arguments.String(args, 0, Signature, context);
        var builder = new StringBuilder(pattern.Length + 16);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '{' && i + 1 < pattern.Length && pattern[i + 1] == '{')
            {
                builder.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < pattern.Length && pattern[i + 1] == '}')
            {
                builder.Append('}');
                i++;
            }
            else if (c == '{')
            {
                var close = pattern.IndexOf('}', i + 1);
                if (close < 0 || !int.TryParse(pattern.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw context.Error($"Function {Signature}: malformed placeholder at position {i + 1} of the format string");
                }

                if (index + 1 >= args.Length)
                {
                    throw context.Error($"Function {Signature}: placeholder {{{index}}} has no argument ({args.Length - 1} given)");
                }

                builder.Append(ValueText.Stringify(args[index + 1]));
                ValueText.CheckLength(builder.Length, "format", context);
                i = close;
            }
            else if (c == '}')
            {
                throw context.Error($"Function {Signature}: unmatched '}}' at position {i + 1} of the format string; write '}}}}' for a literal brace");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
