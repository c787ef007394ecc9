using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>The execution succeeded.</summary>
public sealed record ExecutionCompleted(string ExecutionId, long Sequence, DateTimeOffset Timestamp, Value Outputs)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
