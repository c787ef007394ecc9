namespace AgentFlow.Core.Execution;

/// <summary>Where an execution stands.</summary>
public enum ExecutionStatus
{
    /// <summary>Nodes are being run.</summary>
    Running = 0,
    /// <summary>Ended successfully; outputs are set.</summary>
    Succeeded,
    /// <summary>Ended with an error.</summary>
    Failed,

    /// <summary>Cancel was requested; running nodes are being cancelled.</summary>
    Cancelling,
    /// <summary>Ended by a cancel request.</summary>
    Cancelled,

    /// <summary>Paused: no new node starts until it is resumed; attempts already running finish.</summary>
    Paused,
}
