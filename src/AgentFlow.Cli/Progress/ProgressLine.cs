using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Progress;

/// <summary>What one event means to a person watching: which node, which state, and a detail.</summary>
internal sealed record ProgressLine(string Subject, string State, string? Detail)
{
    private const string Workflow = "workflow";

    /// <summary>Describes an event; <paramref name="startedAt"/> holds each node's latest start, for durations.</summary>
    public static ProgressLine? Describe(ExecutionEvent executionEvent, Dictionary<string, DateTimeOffset> startedAt) => executionEvent switch
    {
        ExecutionStarted started => new(Workflow, "started", started.WorkflowId),
        NodeStarted node => Started(node, startedAt),
        NodeSucceeded node => new(node.NodeId, "succeeded", Join(Elapsed(node.NodeId, node.Timestamp, startedAt), node.Branch is null ? null : $"branch {node.Branch}")),
        NodeFailed node => new(node.NodeId, "failed", Join(Elapsed(node.NodeId, node.Timestamp, startedAt), $"attempt {node.Attempt}: {node.Error.Code}: {node.Error.Message}", node.WillRetry ? "will retry" : null)),
        NodeRetryScheduled retry => new(retry.NodeId, "retrying", $"attempt {retry.NextAttempt} in {Duration.Format(retry.DueAt - retry.Timestamp)}"),
        NodeSkipped skipped => new(skipped.NodeId, "skipped", skipped.Reason),
        NodeCancelled cancelled => new(cancelled.NodeId, "cancelled", Elapsed(cancelled.NodeId, cancelled.Timestamp, startedAt)),
        TimerScheduled timer => new(timer.NodeId, "waiting", $"until {timer.DueAt:O}"),
        ExecutionCancelRequested => new(Workflow, "cancelling", null),
        ExecutionPaused paused => new(Workflow, "paused", paused.Reason),
        ExecutionResumed => new(Workflow, "resumed", null),
        ExecutionRetried retried => new(Workflow, "retrying", string.Join(", ", retried.NodeIds)),
        ExecutionCompleted completed => new(Workflow, "succeeded", Elapsed(Workflow, completed.Timestamp, startedAt)),
        ExecutionFailed failed => new(Workflow, "failed", Join(Elapsed(Workflow, failed.Timestamp, startedAt), $"{failed.Error.Code}: {failed.Error.Message}")),
        ExecutionCancelled cancelled => new(Workflow, "cancelled", Elapsed(Workflow, cancelled.Timestamp, startedAt)),
        _ => null,
    };

    private static ProgressLine Started(NodeStarted node, Dictionary<string, DateTimeOffset> startedAt)
    {
        startedAt[node.NodeId] = node.Timestamp;
        return new(node.NodeId, "started", node.Attempt > 1 ? $"attempt {node.Attempt}" : null);
    }

    private static string? Elapsed(string subject, DateTimeOffset end, Dictionary<string, DateTimeOffset> startedAt) =>
        startedAt.TryGetValue(subject, out var start) ? Duration.Format(end - start) : null;

    private static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => p is not null).ToArray();
        return present.Length == 0 ? null : string.Join("; ", present);
    }
}
