namespace AgentFlow.Core.Events;

/// <summary>A durable timer (a sleep node) was armed.</summary>
public sealed record TimerScheduled(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, DateTimeOffset DueAt)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
