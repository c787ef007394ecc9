using AgentFlow.Core.Events;
using AgentFlow.Runtime;

namespace AgentFlow.Cli.Progress;

/// <summary>One plain line per event, for logs and redirected output.</summary>
internal sealed class LineProgressView(TextWriter writer) : IProgressView
{
    public async Task FollowAsync(ExecutionHandle handle, CancellationToken cancellationToken)
    {
        var startedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        DateTimeOffset? origin = null;
        await foreach (var executionEvent in handle.WatchAsync(cancellationToken))
        {
            if (executionEvent is ExecutionStarted started)
            {
                origin = started.Timestamp;
                startedAt["workflow"] = started.Timestamp;
            }

            if (ProgressLine.Describe(executionEvent, startedAt) is not { } line)
            {
                continue;
            }

            var offset = (executionEvent.Timestamp - (origin ?? executionEvent.Timestamp)).TotalSeconds;
            var text = $"+{offset,7:0.000}s  {line.Subject,-16} {line.State,-10}{(line.Detail is null ? string.Empty : "  " + line.Detail)}";
            await writer.WriteLineAsync(text.AsMemory(), cancellationToken);
        }
    }
}
