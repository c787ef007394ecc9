using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Expressions;

internal static class ExpressionAssert
{
    public static Expression Parse(string text)
    {
        Assert.True(Expression.TryParse(text, out var expression, out var error), $"'{text}' failed to parse: {error}");
        return expression!;
    }

    public static Value Eval(string text, IExpressionScope? scope = null) => Parse(text).Evaluate(scope ?? TestScope.Standard());

    public static void Evaluates(string text, Value expected, IExpressionScope? scope = null)
    {
        var actual = Eval(text, scope);
        Assert.True(expected.Equals(actual), $"'{text}': expected {expected.ToJson()} ({expected.KindName}) but got {actual.ToJson()} ({actual.KindName})");
    }

    public static ExpressionEvaluationException Fails(string text, IExpressionScope? scope = null)
    {
        var expression = Parse(text);
        var exception = Assert.Throws<ExpressionEvaluationException>(() => expression.Evaluate(scope ?? TestScope.Standard()));
        Assert.Equal(text, exception.ExpressionText);
        Assert.Contains(text, exception.Message, StringComparison.Ordinal);
        return exception;
    }

    public static ExpressionError ParseFails(string text)
    {
        Assert.False(Expression.TryParse(text, out var expression, out var error), $"'{text}' parsed unexpectedly");
        Assert.Null(expression);
        return error!;
    }
}
