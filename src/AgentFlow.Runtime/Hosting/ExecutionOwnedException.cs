namespace AgentFlow.Runtime.Hosting;

/// <summary>Another process holds the lease on the execution, so this one may not run it.</summary>
public sealed class ExecutionOwnedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExecutionOwnedException(string executionId)
        : base($"Execution '{executionId}' is being run by another process; try again once its lease expires.") => ExecutionId = executionId;

    /// <summary>The execution.</summary>
    public string ExecutionId { get; }
}
