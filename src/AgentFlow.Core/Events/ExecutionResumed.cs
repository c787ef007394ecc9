namespace AgentFlow.Core.Events;

/// <summary>A paused execution runs again: whatever became runnable while it was paused is dispatched now.</summary>
public sealed record ExecutionResumed(string ExecutionId, long Sequence, DateTimeOffset Timestamp)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
