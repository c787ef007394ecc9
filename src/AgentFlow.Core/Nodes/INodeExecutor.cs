using AgentFlow.Core.Values;

namespace AgentFlow.Core.Nodes;

/// <summary>Runs one kind of node. Executors are stateless and shared across executions.</summary>
public interface INodeExecutor
{
    /// <summary>Runs one attempt of a node and returns its output.</summary>
    /// <exception cref="NodeExecutionException">The node failed with a coded error.</exception>
    ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken);
}
