using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

internal sealed class ConstantTemplate(Value value) : ValueTemplate
{
    public Value Value { get; } = value;

    public override bool IsConstant => true;

    public override IEnumerable<ExpressionReference> References => [];

    public override Value Evaluate(IExpressionScope scope) => Value;
}
