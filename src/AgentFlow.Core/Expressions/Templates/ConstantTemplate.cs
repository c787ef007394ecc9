using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

internal sealed class ConstantTemplate : ValueTemplate
{
    public ConstantTemplate(Value value)
    {
        Value = value;

        // The same instance in every execution of the definition: event logs may refer to it instead of copying it.
        // The empty containers are shared by everything and cost nothing to write.
        if (value.Kind == ValueKind.Object && value.AsObject() is { Count: > 0 } obj)
        {
            obj.MarkConstant();
        }
        else if (value.Kind == ValueKind.Array && value.AsArray() is { Count: > 0 } array)
        {
            array.MarkConstant();
        }
    }

    public Value Value { get; }

    public override bool IsConstant => true;

    public override IEnumerable<ExpressionReference> References => [];

    public override Value Evaluate(IExpressionScope scope) => Value;
}
