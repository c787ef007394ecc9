using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>Someone asked to cancel the execution; running nodes are being cancelled.</summary>
public sealed record ExecutionCancelRequested(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string? Reason = null)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>The execution succeeded.</summary>
public sealed record ExecutionCompleted(string ExecutionId, long Sequence, DateTimeOffset Timestamp, Value Outputs)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>The execution failed.</summary>
/// <param name="NodeId">The node whose failure failed the workflow, when there is one.</param>
public sealed record ExecutionFailed(string ExecutionId, long Sequence, DateTimeOffset Timestamp, ErrorInfo Error, string? NodeId = null)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>The execution ended cancelled.</summary>
public sealed record ExecutionCancelled(string ExecutionId, long Sequence, DateTimeOffset Timestamp)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
