using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

/// <summary>An array with at least one non-constant item.</summary>
internal sealed class ArrayTemplate(ValueTemplate[] items) : ValueTemplate
{
    public override bool IsConstant => false;

    public override IEnumerable<ExpressionReference> References => items.SelectMany(i => i.References);

    public override Value Evaluate(IExpressionScope scope)
    {
        var values = new Value[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            values[i] = items[i].Evaluate(scope);
        }

        return Value.From(new ValueArray(values));
    }
}
