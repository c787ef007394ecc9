using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// The only node of a task that failed validation (§3.1): it fails with the validation messages, so the task is a
/// failed execution in the store like any other.
/// </summary>
internal sealed class InvalidTaskExecutor : INodeExecutor, Runtime.Executors.ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
        throw new NodeExecutionException(FlowGramErrors.Invalid, "The FlowGram task failed validation.", retryable: false, Value.Object(("errors", context.Parameters["errors"])));
}
