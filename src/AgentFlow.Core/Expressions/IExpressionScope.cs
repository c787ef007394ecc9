using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions;

/// <summary>What an expression can see while it is evaluated.</summary>
public interface IExpressionScope
{
    /// <summary>Resolves a root name such as <c>inputs</c>, <c>vars</c>, <c>item</c>, <c>index</c>, <c>execution</c>.</summary>
    bool TryGetRoot(string name, out Value value);

    /// <summary>Resolves <c>nodes.ID</c>: an object with <c>output</c>, <c>status</c>, <c>error</c>, <c>attempts</c>.</summary>
    bool TryGetNode(string nodeId, out Value node);

    /// <summary>The clock behind <c>now()</c>.</summary>
    TimeProvider Time { get; }
}
