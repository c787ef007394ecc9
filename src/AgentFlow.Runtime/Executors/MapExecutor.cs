using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Execution;

namespace AgentFlow.Runtime.Executors;

/// <summary>Runs the node's body once per item as child executions; see <see cref="MapRunner"/>.</summary>
internal sealed class MapExecutor : INodeExecutor, IChildExecutionNode, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
        throw new NodeExecutionException("map.host", "Map nodes run only inside a WorkflowRuntime.", retryable: false);

    public ValueTask<Value> ExecuteAsync(ExecutionRunner parent, NodeContext context, Value parentScope, CancellationToken cancellationToken) =>
        MapRunner.RunAsync(parent, context, parentScope, cancellationToken);
}
