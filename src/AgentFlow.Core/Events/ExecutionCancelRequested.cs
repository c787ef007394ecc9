namespace AgentFlow.Core.Events;

/// <summary>Someone asked to cancel the execution; running nodes are being cancelled.</summary>
public sealed record ExecutionCancelRequested(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string? Reason = null)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
