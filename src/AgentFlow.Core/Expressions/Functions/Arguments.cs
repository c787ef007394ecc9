using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Functions;

/// <summary>Argument kind checks whose errors name the function and its expected types.</summary>
internal static class Arguments
{
    public static string String(ReadOnlySpan<Value> arguments, int index, string signature, in EvalContext context) =>
        Expect(arguments, index, ValueKind.String, signature, context).AsString();

    public static double Number(ReadOnlySpan<Value> arguments, int index, string signature, in EvalContext context) =>
        Expect(arguments, index, ValueKind.Number, signature, context).AsNumber();

    public static ValueArray Array(ReadOnlySpan<Value> arguments, int index, string signature, in EvalContext context) =>
        Expect(arguments, index, ValueKind.Array, signature, context).AsArray();

    public static ValueObject Object(ReadOnlySpan<Value> arguments, int index, string signature, in EvalContext context) =>
        Expect(arguments, index, ValueKind.Object, signature, context).AsObject();

    public static ExpressionEvaluationException Mismatch(ReadOnlySpan<Value> arguments, int index, string signature, in EvalContext context) =>
        context.Error($"Function {signature} got {arguments[index].KindName} for argument {index + 1}");

    private static Value Expect(ReadOnlySpan<Value> arguments, int index, ValueKind kind, string signature, in EvalContext context) =>
        arguments[index].Kind == kind ? arguments[index] : throw Mismatch(arguments, index, signature, context);
}
