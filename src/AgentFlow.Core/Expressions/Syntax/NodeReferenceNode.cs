using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary><c>nodes.ID</c> or <c>nodes[expr]</c>: resolved through <see cref="IExpressionScope.TryGetNode"/>.</summary>
internal sealed class NodeReferenceNode : ExprNode
{
    public NodeReferenceNode(string id) => Id = id;

    public NodeReferenceNode(ExprNode key) => Key = key;

    /// <summary>The node id when written statically; null when computed by <see cref="Key"/>.</summary>
    public string? Id { get; }

    public ExprNode? Key { get; }

    public override int Precedence => Syntax.Precedence.Postfix;

    public override Value Evaluate(in EvalContext context)
    {
        var id = Id;
        if (id is null)
        {
            var key = Key!.Evaluate(context);
            id = key.Kind == ValueKind.String ? key.AsString() : throw context.Error($"A node id must be a string, not {key.KindName}");
        }

        return context.Scope.TryGetNode(id, out var node) ? node : throw context.Error($"Unknown node '{id}'");
    }
}
