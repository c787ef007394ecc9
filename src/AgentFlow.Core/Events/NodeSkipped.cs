namespace AgentFlow.Core.Events;

/// <summary>A node will not run (its branch was not taken, or its predecessors were skipped).</summary>
public sealed record NodeSkipped(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, string Reason)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
