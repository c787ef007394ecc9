namespace AgentFlow.Core.Events;

/// <summary>A node was cancelled while running or waiting.</summary>
public sealed record NodeCancelled(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
