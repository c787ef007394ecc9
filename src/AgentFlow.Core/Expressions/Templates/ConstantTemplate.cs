using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

internal sealed class ConstantTemplate : ValueTemplate
{
    // The same instance in every execution of the definition: event logs may refer to it instead of copying it.
    public ConstantTemplate(Value value) => Value = value.AsConstant();

    public Value Value { get; }

    public override bool IsConstant => true;

    public override IEnumerable<ExpressionReference> References => [];

    public override Value Evaluate(IExpressionScope scope) => Value;
}
