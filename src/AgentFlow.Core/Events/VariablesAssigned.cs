using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>Workflow variables were written (by an assign node).</summary>
/// <param name="Values">An object of the variables written.</param>
public sealed record VariablesAssigned(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, Value Values)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
