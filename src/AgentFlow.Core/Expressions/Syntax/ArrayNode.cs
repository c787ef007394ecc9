using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

internal sealed class ArrayNode(ExprNode[] items) : ExprNode
{
    public IReadOnlyList<ExprNode> Items => items;

    public override int Precedence => Syntax.Precedence.Primary;

    public override Value Evaluate(in EvalContext context)
    {
        if (items.Length == 0)
        {
            return Value.EmptyArray;
        }

        var values = new Value[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            values[i] = items[i].Evaluate(context);
        }

        return Value.From(new ValueArray(values));
    }
}
