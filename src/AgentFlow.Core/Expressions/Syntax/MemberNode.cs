using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary><c>target.name</c>; null-lenient so optional data reads as null instead of failing.</summary>
internal sealed class MemberNode(ExprNode target, string name) : ExprNode
{
    public ExprNode Target { get; } = target;

    public string Name { get; } = name;

    public override int Precedence => Syntax.Precedence.Postfix;

    public override Value Evaluate(in EvalContext context)
    {
        if (Target is NodeReferenceNode { Id: { } nodeId } && Name == "output")
        {
            // nodes.X.output: read straight from the scope, without the node object around it.
            return context.Scope.TryGetNodeOutput(nodeId, out var output) ? output : throw context.Error($"Unknown node '{nodeId}'");
        }

        var target = Target.Evaluate(context);
        switch (target.Kind)
        {
            case ValueKind.Object:
                return target[Name];
            case ValueKind.Null:
                return Value.Null;
            case ValueKind.String when Name == "length":
                return target.AsString().Length;
            case ValueKind.Array when Name == "length":
                return target.AsArray().Count;
            default:
                throw context.Error($"Cannot read property '{Name}' of a {target.KindName}");
        }
    }
}
