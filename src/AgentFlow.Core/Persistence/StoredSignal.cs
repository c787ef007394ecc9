namespace AgentFlow.Core.Persistence;

/// <summary>A signal in an execution's inbox.</summary>
/// <param name="SignalId">Assigned by the store; increases in acceptance order.</param>
/// <param name="PayloadJson">The JSON payload as sent.</param>
/// <param name="SentAt">When the store accepted it, by its clock.</param>
public sealed record StoredSignal(long SignalId, string ExecutionId, string Name, string PayloadJson, string? DeduplicationId, DateTimeOffset SentAt);
