using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

internal sealed class LiteralNode(Value value) : ExprNode
{
    public Value Value { get; } = value;

    public override int Precedence => Syntax.Precedence.Primary;

    public override Value Evaluate(in EvalContext context) => Value;
}
