using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Syntax;

/// <summary>A root identifier such as <c>inputs</c>, resolved through the scope.</summary>
internal sealed class RootNode(string name) : ExprNode
{
    public string Name { get; } = name;

    public override int Precedence => Syntax.Precedence.Primary;

    public override Value Evaluate(in EvalContext context) =>
        context.Scope.TryGetRoot(Name, out var value) ? value : throw context.Error($"Unknown root '{Name}'");
}
