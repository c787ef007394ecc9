using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary><c>condition ? whenTrue : whenFalse</c>, choosing by truthiness; only the chosen branch is evaluated.</summary>
internal sealed class ConditionalNode(ExprNode condition, ExprNode whenTrue, ExprNode whenFalse) : ExprNode
{
    public ExprNode Condition { get; } = condition;

    public ExprNode WhenTrue { get; } = whenTrue;

    public ExprNode WhenFalse { get; } = whenFalse;

    public override int Precedence => Syntax.Precedence.Conditional;

    public override Value Evaluate(in EvalContext context) =>
        Condition.Evaluate(context).IsTruthy ? WhenTrue.Evaluate(context) : WhenFalse.Evaluate(context);
}
