using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>Always fails, with code from <c>error</c> (default <c>failed</c>) and message from <c>message</c>; not retryable.</summary>
internal sealed class FailExecutor : INodeExecutor, ILocalNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var code = context.Parameters["error"] is { Kind: ValueKind.String } c ? c.AsString() : "failed";
        var message = context.Parameters["message"] is { Kind: ValueKind.String } m ? m.AsString() : $"Node '{context.Node.Id}' failed.";
        throw new NodeExecutionException(code, message, retryable: false, details: context.Parameters["details"]);
    }
}
