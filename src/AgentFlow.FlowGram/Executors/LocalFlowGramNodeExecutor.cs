using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// A FlowGram node type without effects outside the log (start, end, block-start, block-end, condition): the runtime
/// may dispatch it before its start is durable, saving a store round trip per node.
/// </summary>
internal sealed class LocalFlowGramNodeExecutor(FlowGramNodeExecutor inner) : INodeExecutor, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) => inner.ExecuteAsync(context, cancellationToken);
}
