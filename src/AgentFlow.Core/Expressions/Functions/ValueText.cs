using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Functions;

/// <summary>The one stringification rule shared by <c>+</c>, templates, join, format and toString.</summary>
internal static class ValueText
{
    /// <summary>Strings as-is, numbers via <see cref="Value.FormatNumber"/>, booleans true/false, null as empty, arrays/objects as compact JSON.</summary>
    public static string Stringify(Value value) => value.Kind switch
    {
        ValueKind.Null => string.Empty,
        ValueKind.String => value.AsString(),
        _ => value.ToString(),
    };

    public static void CheckLength(long length, string producer, in EvalContext context)
    {
        if (length > ExpressionLimits.MaxStringLength)
        {
            throw context.Error($"The string produced by {producer} is too long ({length} characters; the limit is {ExpressionLimits.MaxStringLength})");
        }
    }

    public static void CheckCount(long count, string producer, in EvalContext context)
    {
        if (count > ExpressionLimits.MaxArrayItems)
        {
            throw context.Error($"The array produced by {producer} is too large ({count} items; the limit is {ExpressionLimits.MaxArrayItems})");
        }
    }
}
