using AgentFlow.Core.Expressions.Functions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>Arithmetic, equality and ordering operators (the eager ones; see <see cref="LogicalNode"/> for the rest).</summary>
internal sealed class BinaryNode(BinaryOperator op, ExprNode left, ExprNode right) : ExprNode
{
    public BinaryOperator Operator { get; } = op;

    public ExprNode Left { get; } = left;

    public ExprNode Right { get; } = right;

    public override int Precedence => PrecedenceOf(Operator);

    public string Symbol => SymbolOf(Operator);

    public static int PrecedenceOf(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal or BinaryOperator.NotEqual => Syntax.Precedence.Equality,
        BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual => Syntax.Precedence.Relational,
        BinaryOperator.Add or BinaryOperator.Subtract => Syntax.Precedence.Additive,
        _ => Syntax.Precedence.Multiplicative,
    };

    public static string SymbolOf(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Remainder => "%",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        _ => ">=",
    };

    public override Value Evaluate(in EvalContext context)
    {
        var left = Left.Evaluate(context);
        var right = Right.Evaluate(context);
        switch (Operator)
        {
            case BinaryOperator.Equal:
                return left.Equals(right);
            case BinaryOperator.NotEqual:
                return !left.Equals(right);
            case BinaryOperator.Add when left.Kind == ValueKind.String || right.Kind == ValueKind.String:
                return Concatenate(left, right, context);
            case BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual:
                return Compare(left, right, context);
        }

        if (left.Kind != ValueKind.Number || right.Kind != ValueKind.Number)
        {
            throw context.Error($"Operator '{Symbol}' cannot be applied to {left.KindName} and {right.KindName}");
        }

        var a = left.AsNumber();
        var b = right.AsNumber();
        if (b == 0 && Operator is BinaryOperator.Divide or BinaryOperator.Remainder)
        {
            throw context.Error($"Division by zero in operator '{Symbol}'");
        }

        return Operator switch
        {
            BinaryOperator.Add => a + b,
            BinaryOperator.Subtract => a - b,
            BinaryOperator.Multiply => a * b,
            BinaryOperator.Divide => a / b,
            _ => a % b,
        };
    }

    private static Value Concatenate(Value left, Value right, in EvalContext context)
    {
        var a = ValueText.Stringify(left);
        var b = ValueText.Stringify(right);
        ValueText.CheckLength((long)a.Length + b.Length, "operator '+'", context);
        return string.Concat(a, b);
    }

    private bool Compare(Value left, Value right, in EvalContext context)
    {
        int order;
        if (left.Kind == ValueKind.Number && right.Kind == ValueKind.Number)
        {
            var (a, b) = (left.AsNumber(), right.AsNumber());

            // Compared directly rather than via CompareTo so NaN (e.g. from Infinity - Infinity) orders as IEEE says: never.
            return Operator switch
            {
                BinaryOperator.Less => a < b,
                BinaryOperator.LessOrEqual => a <= b,
                BinaryOperator.Greater => a > b,
                _ => a >= b,
            };
        }

        if (left.Kind == ValueKind.String && right.Kind == ValueKind.String)
        {
            order = string.CompareOrdinal(left.AsString(), right.AsString());
        }
        else
        {
            throw context.Error($"Operator '{Symbol}' cannot compare {left.KindName} and {right.KindName}");
        }

        return Operator switch
        {
            BinaryOperator.Less => order < 0,
            BinaryOperator.LessOrEqual => order <= 0,
            BinaryOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }
}
