using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// What a condition node with no inputs, outputs or variables records for each of its branches,
/// <c>{inputs: {}, outputs: {}, vars: {}, branch}</c>: immutable and shared by its runs, so made once per node and
/// branch. A node's branches are its items' keys and <c>else</c>, so each node holds a few.
/// </summary>
internal sealed class BranchOutputs
{
    private readonly ConditionalWeakTable<FlowNode, ConcurrentDictionary<string, Value>> _nodes = [];

    public Value Get(FlowNode node, string branch)
    {
        var outputs = _nodes.TryGetValue(node, out var known) ? known : _nodes.GetValue(node, static _ => new(StringComparer.Ordinal));
        return outputs.TryGetValue(branch, out var output) ? output : outputs.GetOrAdd(branch, Make);
    }

    private static Value Make(string branch) =>
        Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject), ("branch", branch)).AsConstant();
}
