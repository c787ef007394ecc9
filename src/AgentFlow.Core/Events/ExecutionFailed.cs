namespace AgentFlow.Core.Events;

/// <summary>The execution failed.</summary>
/// <param name="NodeId">The node whose failure failed the workflow, when there is one.</param>
public sealed record ExecutionFailed(string ExecutionId, long Sequence, DateTimeOffset Timestamp, ErrorInfo Error, string? NodeId = null)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
