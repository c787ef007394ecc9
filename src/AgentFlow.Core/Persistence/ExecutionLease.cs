namespace AgentFlow.Core.Persistence;

/// <summary>A lease on an execution.</summary>
/// <param name="ExpiresAt">The lease is live strictly before this instant of the store clock.</param>
public sealed record ExecutionLease(string ExecutionId, string OwnerId, DateTimeOffset ExpiresAt);
