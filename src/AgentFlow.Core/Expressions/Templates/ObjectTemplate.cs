using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

/// <summary>An object with at least one non-constant property; names are unique and in order.</summary>
internal sealed class ObjectTemplate(string[] names, ValueTemplate[] values) : ValueTemplate
{
    public override bool IsConstant => false;

    public override IEnumerable<ExpressionReference> References => values.SelectMany(v => v.References);

    public override Value Evaluate(IExpressionScope scope)
    {
        var properties = new KeyValuePair<string, Value>[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            properties[i] = new(names[i], values[i].Evaluate(scope));
        }

        return Value.From(ValueObject.FromDistinctEntries(properties));
    }
}
