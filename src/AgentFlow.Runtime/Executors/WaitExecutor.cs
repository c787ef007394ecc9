using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>
/// Waits for the signal named by <c>signal</c> and outputs its payload; with <c>timeout</c>, fails with code
/// <c>timeout</c> when it passes first. Only meaningful inside a runtime, which records the wait in the log.
/// </summary>
internal sealed class WaitExecutor : INodeExecutor, ISignalWaitNode
{
    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken) =>
        ValueTask.FromException<Value>(new NodeExecutionException("wait.unsupported", "A wait node can only run inside a workflow runtime.", retryable: false));

    public string GetSignalName(Value parameters) =>
        parameters["signal"] is { Kind: ValueKind.String } name && name.AsString().Length > 0
            ? name.AsString()
            : throw Invalid("needs 'signal', the name of the signal to wait for.");

    public DateTimeOffset? GetTimeoutAt(Value parameters, DateTimeOffset now)
    {
        var timeout = parameters["timeout"];
        if (timeout.IsNull)
        {
            return null;
        }

        return Duration.TryFromValue(timeout, out var span)
            ? now + span
            : throw Invalid($"'{timeout}' is not a duration (use e.g. \"30s\", \"5m\" or \"PT5M\").");
    }

    private static NodeExecutionException Invalid(string message) => new("wait.parameters", $"Wait {message}", retryable: false);
}
