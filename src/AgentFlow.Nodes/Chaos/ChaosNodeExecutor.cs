using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Nodes.Chaos;

/// <summary>
/// The <c>chaos</c> node injects latency and failures on purpose, so a workflow's retry, timeout and
/// error-handling policies can be exercised before real services are wired in. Deterministic: the first
/// <c>failAttempts</c> attempts fail with <c>error</c>; later attempts wait <c>latency</c> and return <c>output</c>.
/// </summary>
public sealed class ChaosNodeExecutor : INodeExecutor
{
    /// <inheritdoc />
    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var latency = TimeSpan.Zero;
        if (parameters.TryGetProperty("latency", out var latencyValue) && !latencyValue.IsNull && !Duration.TryFromValue(latencyValue, out latency))
        {
            throw new NodeExecutionException("chaos.invalid", $"chaos node '{context.Node.Id}': latency '{latencyValue}' is not a duration such as 100ms.", retryable: false);
        }

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.Time, cancellationToken);
        }

        var failAttempts = parameters["failAttempts"] is { Kind: ValueKind.Number } count ? (int)count.AsNumber() : 0;
        if (context.Attempt <= failAttempts)
        {
            var code = parameters["error"] is { Kind: ValueKind.String } error ? error.AsString() : "chaos.injected";
            var message = parameters["message"] is { Kind: ValueKind.String } text
                ? text.AsString()
                : $"injected failure {context.Attempt} of {failAttempts}";
            var retryable = parameters["retryable"] is not { Kind: ValueKind.Boolean } flag || flag.AsBoolean();
            throw new NodeExecutionException(code, message, retryable, Value.Object(("attempt", context.Attempt)));
        }

        return parameters["output"];
    }
}
