using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>An attempt of a node succeeded.</summary>
/// <param name="Branch">For condition and switch nodes, the chosen branch (null when none matched).</param>
public sealed record NodeSucceeded(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt, Value Output, string? Branch = null)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
