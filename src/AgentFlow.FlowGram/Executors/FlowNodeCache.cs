using System.Runtime.CompilerServices;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// The schema node of a mapped node, rebuilt from its constant <c>node</c> parameter once per definition node rather
/// than on every run (the definitions of one schema text are shared between tasks). Read-only once built.
/// </summary>
internal sealed class FlowNodeCache
{
    private readonly ConditionalWeakTable<NodeDefinition, FlowNode> _nodes = [];

    public FlowNode Get(NodeDefinition definition, Value parameters)
    {
        // Looked up first, and the factory built in another method: a lambda capturing the parameters allocates its
        // closure on entry to the method that declares them, even when the lookup finds the node.
        return _nodes.TryGetValue(definition, out var node) ? node : Add(definition, parameters);
    }

    private FlowNode Add(NodeDefinition definition, Value parameters) =>
        _nodes.GetValue(definition, _ => FlowDocument.CreateNode(VariableCodec.ObjectFromValue(parameters["node"]), null));
}
