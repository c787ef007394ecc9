namespace AgentFlow.Core.Execution;

/// <summary>Where an execution stands.</summary>
public enum ExecutionStatus
{
    Running = 0,
    Succeeded,
    Failed,

    /// <summary>Cancel was requested; running nodes are being cancelled.</summary>
    Cancelling,
    Cancelled,
}
