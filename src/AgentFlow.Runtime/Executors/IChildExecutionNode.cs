using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Execution;

namespace AgentFlow.Runtime.Executors;

/// <summary>A node that runs child executions (map, sub-workflow) and so needs the parent runner, not just a context.</summary>
internal interface IChildExecutionNode
{
    ValueTask<Value> ExecuteAsync(ExecutionRunner parent, NodeContext context, Value parentScope, CancellationToken cancellationToken);
}
