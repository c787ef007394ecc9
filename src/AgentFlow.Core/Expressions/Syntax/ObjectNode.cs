using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>An object literal; the parser rejects duplicate keys, so order and names are final (no duplicate checks per evaluation).</summary>
internal sealed class ObjectNode(string[] names, ExprNode[] values) : ExprNode
{
    public IReadOnlyList<string> Names => names;

    public IReadOnlyList<ExprNode> Values => values;

    public override int Precedence => Syntax.Precedence.Primary;

    public override Value Evaluate(in EvalContext context)
    {
        if (names.Length == 0)
        {
            return Value.EmptyObject;
        }

        var properties = new KeyValuePair<string, Value>[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            properties[i] = new(names[i], values[i].Evaluate(context));
        }

        return Value.From(ValueObject.FromDistinctEntries(properties));
    }
}
