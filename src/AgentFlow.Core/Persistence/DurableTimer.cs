namespace AgentFlow.Core.Persistence;

/// <summary>A timer of an execution.</summary>
/// <param name="TimerId">Unique within the execution; usually the node id (a sleep) or node id and attempt (a retry).</param>
/// <param name="DueAt">When it fires.</param>
public sealed record DurableTimer(string ExecutionId, string TimerId, DateTimeOffset DueAt);
