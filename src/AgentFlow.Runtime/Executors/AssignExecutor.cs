using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>
/// Writes workflow variables: the resolved parameters object is both the output and the variables assigned.
/// The runner records the write as a <c>VariablesAssigned</c> event so the fold stays the only writer of state.
/// </summary>
internal sealed class AssignExecutor : INodeExecutor, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
        context.Parameters.Kind == ValueKind.Object
            ? new(context.Parameters)
            : throw new NodeExecutionException("assign.parameters", $"Assign node '{context.Node.Id}' needs an object of variables but got {context.Parameters.KindName}.", retryable: false);
}
