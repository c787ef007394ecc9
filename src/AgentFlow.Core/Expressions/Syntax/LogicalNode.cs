using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary><c>&amp;&amp;</c> and <c>||</c>: short-circuit, and yield a boolean from the operands' truthiness.</summary>
internal sealed class LogicalNode(bool isAnd, ExprNode left, ExprNode right) : ExprNode
{
    public bool IsAnd { get; } = isAnd;

    public ExprNode Left { get; } = left;

    public ExprNode Right { get; } = right;

    public string Symbol => IsAnd ? "&&" : "||";

    public override int Precedence => IsAnd ? Syntax.Precedence.And : Syntax.Precedence.Or;

    public override Value Evaluate(in EvalContext context)
    {
        var left = Left.Evaluate(context).IsTruthy;
        if (left != IsAnd)
        {
            // false && _ is false; true || _ is true: the right side is never evaluated.
            return left;
        }

        return Right.Evaluate(context).IsTruthy;
    }
}
