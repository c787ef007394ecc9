using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary><c>target[index]</c>: an integer into an array or a string key into an object; null-lenient like members.</summary>
internal sealed class IndexNode(ExprNode target, ExprNode index) : ExprNode
{
    public ExprNode Target { get; } = target;

    public ExprNode Index { get; } = index;

    public override int Precedence => Syntax.Precedence.Postfix;

    public override Value Evaluate(in EvalContext context)
    {
        var target = Target.Evaluate(context);
        if (target.IsNull)
        {
            return Value.Null;
        }

        var index = Index.Evaluate(context);
        switch (target.Kind)
        {
            case ValueKind.Array when index.Kind == ValueKind.Number:
                if (!index.IsInteger)
                {
                    throw context.Error($"Array index must be an integer, not {Value.FormatNumber(index.AsNumber())}");
                }

                var position = index.AsNumber();
                var items = target.AsArray();
                return position >= 0 && position < items.Count ? items[(int)position] : Value.Null;
            case ValueKind.Array:
                throw context.Error($"Array index must be a number, not {index.KindName}");
            case ValueKind.Object when index.Kind == ValueKind.String:
                return target[index.AsString()];
            case ValueKind.Object:
                throw context.Error($"Object key must be a string, not {index.KindName}");
            default:
                throw context.Error($"Cannot index into a {target.KindName}");
        }
    }
}
