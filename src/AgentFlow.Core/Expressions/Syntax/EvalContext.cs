namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>What every node needs while evaluating: the scope, and the source text for error messages.</summary>
/// <remarks>A struct passed by <c>in</c> so one evaluation allocates nothing for its context.</remarks>
internal readonly struct EvalContext(IExpressionScope scope, string text)
{
    public IExpressionScope Scope { get; } = scope;

    public string Text { get; } = text;

    public ExpressionEvaluationException Error(string message) => new(message, Text);
}
