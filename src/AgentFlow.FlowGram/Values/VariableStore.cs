namespace AgentFlow.FlowGram.Values;

/// <summary>Variables by node id and key; a loop iteration gets a child store that falls back to its parent (§1.6).</summary>
/// <remarks>
/// Not thread-safe: each store belongs to one node run (rebuilt from the node's parameters), which uses it in sequence.
/// </remarks>
internal sealed class VariableStore
{
    // Created on first Set: most node runs refer to no other node.
    private Dictionary<string, Dictionary<string, Variable>>? _nodes;

    public VariableStore(VariableStore? parent = null) => Parent = parent;

    public VariableStore? Parent { get; }

    public void Set(string nodeId, string key, Variable variable)
    {
        _nodes ??= new(StringComparer.Ordinal);
        if (!_nodes.TryGetValue(nodeId, out var map))
        {
            _nodes[nodeId] = map = new(StringComparer.Ordinal);
        }

        map[key] = variable;
    }

    /// <summary>Looks <c>[nodeID, key, ...path]</c> up; null when not found.</summary>
    public Variable? Get(IReadOnlyList<string> reference)
    {
        Dictionary<string, Variable>? map = null;
        Variable? variable = null;
        if (_nodes is not null && _nodes.TryGetValue(reference[0], out map))
        {
            map.TryGetValue(reference[1], out variable);
        }

        if (map is null)
        {
            return Parent?.Get(reference);
        }

        if (variable is null)
        {
            return null;
        }

        if (reference.Count == 2)
        {
            return variable;
        }

        return Descend(variable.Value, reference);
    }

    /// <summary><c>reference[2..]</c> inside a variable's value, typed by inference (§1.6).</summary>
    public static Variable Descend(object? variableValue, IReadOnlyList<string> reference)
    {
        var value = Js.Get(variableValue, reference, start: 2);
        if (value == Js.Undefined)
        {
            return new Variable(Js.Undefined, "null");
        }

        var type = RuntimeTypes.Infer(value);
        string? itemsType = null;
        if (value is List<object?> list)
        {
            itemsType = RuntimeTypes.Infer(list.Count > 0 ? list[0] : null);
        }

        return new Variable(value, type, itemsType);
    }
}
