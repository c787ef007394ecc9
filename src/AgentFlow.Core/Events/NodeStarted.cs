using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>An attempt of a node began with its resolved parameters.</summary>
public sealed record NodeStarted(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt, Value Parameters)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
