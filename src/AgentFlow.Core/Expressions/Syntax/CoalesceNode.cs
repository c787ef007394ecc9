using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary><c>left ?? right</c>: the right side is evaluated only when the left is null.</summary>
internal sealed class CoalesceNode(ExprNode left, ExprNode right) : ExprNode
{
    public ExprNode Left { get; } = left;

    public ExprNode Right { get; } = right;

    public override int Precedence => Syntax.Precedence.Coalesce;

    public override Value Evaluate(in EvalContext context)
    {
        var left = Left.Evaluate(context);
        return left.IsNull ? Right.Evaluate(context) : left;
    }
}
