using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>
/// What expressions see during an execution: <c>inputs</c>, <c>vars</c>, <c>execution</c>, <c>nodes.X</c>, and in a map
/// body <c>item</c>/<c>index</c> plus the parent's nodes (lexical scope, captured in <see cref="ExecutionState.Scope"/>).
/// </summary>
public sealed class ExecutionScope : IExpressionScope
{
    private readonly ExecutionState _state;

    /// <summary>Wraps a state; reads are live, so one scope serves a whole execution.</summary>
    public ExecutionScope(ExecutionState state, TimeProvider time)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        Time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The clock behind <c>now()</c>.</summary>
    public TimeProvider Time { get; }

    internal ExecutionState State => _state;

    /// <summary>Resolves <c>inputs</c>, <c>vars</c>, <c>execution</c>, and in map items <c>item</c> and <c>index</c>.</summary>
    public bool TryGetRoot(string name, out Value value)
    {
        switch (name)
        {
            case "inputs":
                value = _state.Inputs;
                return true;
            case "vars":
                value = _state.VariablesValue;
                return true;
            case "execution":
                value = _state.ExecutionValue;
                return true;
            case "item" or "index":
                return _state.TryGetScopeRoot(name, out value);
            default:
                value = Value.Null;
                return false;
        }
    }

    /// <summary>Resolves <c>nodes.ID.output</c> without building the node's scope object.</summary>
    public bool TryGetNodeOutput(string nodeId, out Value output)
    {
        if (_state.GetNode(nodeId) is { } state)
        {
            output = state.Output;
            return true;
        }

        if (_state.TryGetScopeRoot("nodes", out var parentNodes) && parentNodes.TryGetProperty(nodeId, out var node))
        {
            output = node.Kind == ValueKind.Object ? node["output"] : Value.Null;
            return true;
        }

        output = Value.Null;
        return false;
    }

    /// <summary>Resolves <c>nodes.ID</c> in this execution, then in the parent scope a map item captured.</summary>
    public bool TryGetNode(string nodeId, out Value node)
    {
        var state = _state.GetNode(nodeId);
        if (state is not null)
        {
            node = state.ToScopeValue();
            return true;
        }

        // A map body reads its parent's nodes lexically, from the snapshot taken when the item started.
        if (_state.TryGetScopeRoot("nodes", out var parentNodes) && parentNodes.TryGetProperty(nodeId, out node))
        {
            return true;
        }

        node = Value.Null;
        return false;
    }
}
