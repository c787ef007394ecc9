using System.Globalization;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>
/// Waits for <c>duration</c> ("5s", "250ms", "1m", "2h", ISO "PT5S", or a number of seconds) or <c>until</c> an ISO
/// timestamp. In a runtime the wait is a durable timer; run directly it is a cancellable delay.
/// </summary>
internal sealed class SleepExecutor : INodeExecutor, IDurableTimerNode
{
    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var due = GetDueTime(context.Parameters, context.Time.GetUtcNow());
        var wait = due - context.Time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, context.Time, cancellationToken).ConfigureAwait(false);
        }

        return Value.Null;
    }

    public DateTimeOffset GetDueTime(Value parameters, DateTimeOffset now)
    {
        if (parameters["until"] is { Kind: ValueKind.String } until)
        {
            return DateTimeOffset.TryParse(until.AsString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw Invalid($"'until' must be an ISO timestamp but was '{until.AsString()}'.");
        }

        var duration = parameters["duration"];
        if (duration.IsNull)
        {
            throw Invalid("needs 'duration' (e.g. \"5s\", \"PT5S\" or seconds) or 'until' (an ISO timestamp).");
        }

        return Duration.TryFromValue(duration, out var wait)
            ? now + wait
            : throw Invalid($"'{duration}' is not a duration (use e.g. \"250ms\", \"5s\", \"1m30s\" or \"PT5S\").");
    }

    private static NodeExecutionException Invalid(string message) => new("sleep.parameters", $"Sleep {message}", retryable: false);
}
