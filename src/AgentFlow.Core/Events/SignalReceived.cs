using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>A signal from the execution's inbox was delivered to a waiting node; a <see cref="NodeSucceeded"/> with the payload follows.</summary>
/// <param name="NodeId">The wait node that received it.</param>
/// <param name="Name">The signal's name.</param>
/// <param name="Payload">The signal's payload (its JSON as a value).</param>
/// <param name="SignalId">The inbox id, so a signal recorded here is never delivered again after a restart.</param>
public sealed record SignalReceived(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, string Name, Value Payload, long SignalId)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
