namespace AgentFlow.Core.Events;

/// <summary>The execution ended cancelled.</summary>
public sealed record ExecutionCancelled(string ExecutionId, long Sequence, DateTimeOffset Timestamp)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
