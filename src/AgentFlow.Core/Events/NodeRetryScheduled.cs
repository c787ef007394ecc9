namespace AgentFlow.Core.Events;

/// <summary>A failed node will be attempted again at <paramref name="DueAt"/>.</summary>
public sealed record NodeRetryScheduled(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int NextAttempt, DateTimeOffset DueAt)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
