namespace AgentFlow.Core.Events;

/// <summary>A durable timer fired.</summary>
public sealed record TimerFired(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
