namespace AgentFlow.Core.Expressions;

/// <summary>An expression failed while being evaluated (type error, bad function argument, limit exceeded).</summary>
public sealed class ExpressionEvaluationException : Exception
{
    public ExpressionEvaluationException(string message, string expressionText)
        : base($"{message} in expression '{expressionText}'") => ExpressionText = expressionText;

    public string ExpressionText { get; }
}
