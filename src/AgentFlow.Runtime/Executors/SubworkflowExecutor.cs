using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Execution;

namespace AgentFlow.Runtime.Executors;

/// <summary>Runs a child workflow (inline body or a reference) with the node's parameters as inputs.</summary>
internal sealed class SubworkflowExecutor : INodeExecutor, IChildExecutionNode, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
        throw new NodeExecutionException("subworkflow.host", "Sub-workflow nodes run only inside a WorkflowRuntime.", retryable: false);

    public ValueTask<Value> ExecuteAsync(ExecutionRunner parent, NodeContext context, Value parentScope, CancellationToken cancellationToken) =>
        new(SubworkflowRunner.RunAsync(parent, context, cancellationToken));
}
