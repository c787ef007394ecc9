using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions;

/// <summary>A parsed expression (the text inside <c>${{ }}</c>). Immutable and thread-safe; parse once, evaluate many times.</summary>
public sealed class Expression
{
    // PLACEHOLDER API: the expressions work item replaces this body with the real parser and evaluator.
    private Expression(string text) => Text = text;

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>The roots this expression reads.</summary>
    public IReadOnlyList<ExpressionReference> References { get; } = [];

    /// <summary>Parses an expression; on failure returns false and the first syntax error.</summary>
    public static bool TryParse(string text, out Expression? expression, out ExpressionError? error) =>
        throw new NotImplementedException();

    /// <summary>Evaluates against a scope.</summary>
    /// <exception cref="ExpressionEvaluationException">Evaluation failed.</exception>
    public Value Evaluate(IExpressionScope scope) => throw new NotImplementedException();

    public override string ToString() => Text;
}
