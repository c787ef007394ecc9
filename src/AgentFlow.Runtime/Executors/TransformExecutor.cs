using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>Output = the resolved parameters: reshapes data with expressions.</summary>
internal sealed class TransformExecutor : INodeExecutor, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) => new(context.Parameters);
}
