using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

/// <summary>A string that is exactly one <c>${{ expr }}</c>: yields the expression's raw value, keeping its type.</summary>
internal sealed class ExpressionTemplate(Expression expression, IReadOnlyList<ExpressionReference> references) : ValueTemplate
{
    public Expression Expression { get; } = expression;

    public override bool IsConstant => false;

    public override IEnumerable<ExpressionReference> References => references;

    public override Value Evaluate(IExpressionScope scope) => Expression.Evaluate(scope);
}
