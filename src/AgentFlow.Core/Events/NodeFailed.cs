using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>An attempt of a node failed.</summary>
/// <param name="WillRetry">Whether a <see cref="NodeRetryScheduled"/> follows.</param>
/// <param name="Output">
/// When the failure is final and the node's error strategy is continue or fallback, the output downstream nodes see
/// (null or the fallback value); otherwise null.
/// </param>
public sealed record NodeFailed(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt, ErrorInfo Error, bool WillRetry, Value Output = default)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
