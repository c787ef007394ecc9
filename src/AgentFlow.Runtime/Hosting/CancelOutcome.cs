namespace AgentFlow.Runtime.Hosting;

/// <summary>What <see cref="WorkflowHost.CancelAsync"/> did.</summary>
public enum CancelOutcome
{
    /// <summary>No execution has that id.</summary>
    Unknown,

    /// <summary>The execution had already ended.</summary>
    AlreadyFinished,

    /// <summary>The cancellation is recorded and the execution has ended cancelled here.</summary>
    Cancelled,

    /// <summary>Another process owns the execution; the request is in its inbox and that owner will cancel it.</summary>
    Requested,
}
