using System.Globalization;
using System.Xml;
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
        return duration.Kind switch
        {
            ValueKind.Number when duration.AsNumber() >= 0 => now + TimeSpan.FromSeconds(duration.AsNumber()),
            ValueKind.String => now + ParseDuration(duration.AsString()),
            _ => throw Invalid("needs 'duration' (e.g. \"5s\", \"PT5S\" or seconds) or 'until' (an ISO timestamp)."),
        };
    }

    /// <summary>Parses "250ms", "5s", "1m", "2h", "1d", or ISO 8601 "PT5S".</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('P'))
        {
            try
            {
                return XmlConvert.ToTimeSpan(trimmed);
            }
            catch (FormatException)
            {
                throw Invalid($"'{text}' is not an ISO 8601 duration.");
            }
        }

        var (unit, factor) = trimmed.EndsWith("ms", StringComparison.Ordinal) ? ("ms", 1.0)
            : trimmed.EndsWith('s') ? ("s", 1000.0)
            : trimmed.EndsWith('m') ? ("m", 60_000.0)
            : trimmed.EndsWith('h') ? ("h", 3_600_000.0)
            : trimmed.EndsWith('d') ? ("d", 86_400_000.0)
            : ("", 1000.0);
        var number = trimmed[..^unit.Length];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0
            ? TimeSpan.FromMilliseconds(amount * factor)
            : throw Invalid($"'{text}' is not a duration (use e.g. \"250ms\", \"5s\", \"1m\" or \"PT5S\").");
    }

    private static NodeExecutionException Invalid(string message) => new("sleep.parameters", $"Sleep {message}", retryable: false);
}
