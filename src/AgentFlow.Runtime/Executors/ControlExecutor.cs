using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>Break and continue: they succeed at once; the decider and the map runner give them their meaning.</summary>
internal sealed class ControlExecutor : INodeExecutor, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) => new(Value.Null);
}
