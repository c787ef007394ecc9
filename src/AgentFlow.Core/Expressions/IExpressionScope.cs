using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions;

/// <summary>What an expression can see while it is evaluated.</summary>
public interface IExpressionScope
{
    /// <summary>Resolves a root name such as <c>inputs</c>, <c>vars</c>, <c>item</c>, <c>index</c>, <c>execution</c>.</summary>
    bool TryGetRoot(string name, out Value value);

    /// <summary>Resolves <c>nodes.ID</c>: an object with <c>output</c>, <c>status</c>, <c>error</c>, <c>attempts</c>.</summary>
    bool TryGetNode(string nodeId, out Value node);

    /// <summary>
    /// Resolves <c>nodes.ID.output</c> alone, the most common node read; scopes that keep outputs apart override it
    /// so the read builds no node object.
    /// </summary>
    bool TryGetNodeOutput(string nodeId, out Value output)
    {
        if (TryGetNode(nodeId, out var node))
        {
            output = node.Kind == ValueKind.Object ? node["output"] : Value.Null;
            return true;
        }

        output = Value.Null;
        return false;
    }

    /// <summary>The clock behind <c>now()</c>.</summary>
    TimeProvider Time { get; }
}
