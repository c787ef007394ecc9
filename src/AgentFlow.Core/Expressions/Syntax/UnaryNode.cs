using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary><c>!operand</c> (truthiness negation) or <c>-operand</c> (numbers only).</summary>
internal sealed class UnaryNode(bool isNot, ExprNode operand) : ExprNode
{
    public bool IsNot { get; } = isNot;

    public ExprNode Operand { get; } = operand;

    public string Symbol => IsNot ? "!" : "-";

    public override int Precedence => Syntax.Precedence.Unary;

    public override Value Evaluate(in EvalContext context)
    {
        var operand = Operand.Evaluate(context);
        if (IsNot)
        {
            return !operand.IsTruthy;
        }

        return operand.Kind == ValueKind.Number
            ? -operand.AsNumber()
            : throw context.Error($"Operator '-' cannot be applied to a {operand.KindName}");
    }
}
