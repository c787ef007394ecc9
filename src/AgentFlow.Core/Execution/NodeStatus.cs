namespace AgentFlow.Core.Execution;

/// <summary>Where one node of an execution stands.</summary>
public enum NodeStatus
{
    Pending = 0,
    Running,

    /// <summary>Waiting on a timer: a retry delay or a sleep.</summary>
    Waiting,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}
