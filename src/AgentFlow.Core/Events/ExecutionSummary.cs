namespace AgentFlow.Core.Events;

/// <summary>One line of an execution listing.</summary>
/// <param name="Status">running, paused, succeeded, failed, cancelling or cancelled.</param>
/// <param name="LastSequence">The sequence of the log's last event.</param>
public sealed record ExecutionSummary(
    string ExecutionId,
    string WorkflowId,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? ParentExecutionId,
    long LastSequence);
