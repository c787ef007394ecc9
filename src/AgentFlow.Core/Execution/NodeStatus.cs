namespace AgentFlow.Core.Execution;

/// <summary>Where one node of an execution stands.</summary>
public enum NodeStatus
{
    /// <summary>Not started yet.</summary>
    Pending = 0,
    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>Waiting on a timer: a retry delay or a sleep.</summary>
    Waiting,
    /// <summary>Completed with an output.</summary>
    Succeeded,
    /// <summary>Failed after its last attempt.</summary>
    Failed,
    /// <summary>Will not run: no incoming edge was taken.</summary>
    Skipped,
    /// <summary>Cancelled while running or waiting.</summary>
    Cancelled,
}
