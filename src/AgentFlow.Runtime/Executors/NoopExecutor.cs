using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>Does nothing; output null. Completes synchronously so it costs no allocation.</summary>
internal sealed class NoopExecutor : INodeExecutor, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) => new(Value.Null);
}
