namespace AgentFlow.Runtime.Execution;

/// <summary>
/// The lease an execution's appends are checked against (<see cref="Core.Persistence.ILeaseStore.AppendLeasedAsync"/>):
/// its root's, held by this process. Children inherit their root's fence.
/// </summary>
internal sealed record LeaseFence(string LeaseExecutionId, string OwnerId);
