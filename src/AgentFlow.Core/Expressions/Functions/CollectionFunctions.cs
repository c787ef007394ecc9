using System.Text;
using System.Text.Json;
using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Functions;

/// <summary>Functions over arrays, objects and JSON.</summary>
internal static class CollectionFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        new("join", 1, 2, "join(array, string?)", Join),
        new("keys", 1, 1, "keys(object)", Keys),
        new("values", 1, 1, "values(object)", Values),
        new("pluck", 2, 2, "pluck(array, string)", Pluck),
        new("coalesce", 1, int.MaxValue, "coalesce(any, any...)", Coalesce),
        new("toJson", 1, 1, "toJson(any)", ToJson),
        new("fromJson", 1, 1, "fromJson(string)", FromJson),
    ];

    /// <summary>The named property of every item (null where an item lacks it), e.g. the totals of order lines.</summary>
    private static Value Pluck(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "pluck(array, string)";
        var items = Arguments.Array(args, 0, Signature, context);
        var name = Arguments.String(args, 1, Signature, context);
        var result = new Value[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = items[i][name];
        }

        return Value.From(new ValueArray(result));
    }

    private static Value Join(ReadOnlySpan<Value> args, in EvalContext context)
    {
        const string Signature = "join(array, string?)";
        var items = Arguments.Array(args, 0, Signature, context);
        var separator = args.Length > 1 ? Arguments.String(args, 1, Signature, context) : ",";
        var builder = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(separator);
            }

            builder.Append(ValueText.Stringify(items[i]));
            ValueText.CheckLength(builder.Length, "join", context);
        }

        return builder.ToString();
    }

    private static Value Keys(ReadOnlySpan<Value> args, in EvalContext context)
    {
        var obj = Arguments.Object(args, 0, "keys(object)", context);
        return Value.Array(obj.Keys.Select(Value.From));
    }

    private static Value Values(ReadOnlySpan<Value> args, in EvalContext context)
    {
        var obj = Arguments.Object(args, 0, "values(object)", context);
        return Value.Array(obj.Values);
    }

    private static Value Coalesce(ReadOnlySpan<Value> args, in EvalContext context)
    {
        foreach (var value in args)
        {
            if (!value.IsNull)
            {
                return value;
            }
        }

        return Value.Null;
    }

    private static Value ToJson(ReadOnlySpan<Value> args, in EvalContext context)
    {
        var json = args[0].ToJson();
        ValueText.CheckLength(json.Length, "toJson", context);
        return json;
    }

    private static Value FromJson(ReadOnlySpan<Value> args, in EvalContext context)
    {
        var text = Arguments.String(args, 0, "fromJson(string)", context);
        try
        {
            return Value.Parse(text);
        }
        catch (JsonException exception)
        {
            throw context.Error($"Function fromJson(string) got malformed JSON: {exception.Message}");
        }
    }
}
