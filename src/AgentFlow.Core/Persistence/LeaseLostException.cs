namespace AgentFlow.Core.Persistence;

/// <summary>
/// A leased append was refused: the caller no longer holds the lease that guards the log (another process took it
/// over, or it was released). Nothing was written.
/// </summary>
public sealed class LeaseLostException : Exception
{
    /// <summary>Creates the exception for a refused append to <paramref name="executionId"/>.</summary>
    public LeaseLostException(string executionId, string leaseExecutionId, string ownerId)
        : base($"Execution '{executionId}': '{ownerId}' no longer holds the lease on '{leaseExecutionId}', so nothing was appended; another process owns it now.")
    {
        ExecutionId = executionId;
        LeaseExecutionId = leaseExecutionId;
        OwnerId = ownerId;
    }

    /// <summary>The log the refused append was for.</summary>
    public string ExecutionId { get; }

    /// <summary>The execution whose lease guards that log (the log's own, or its root's).</summary>
    public string LeaseExecutionId { get; }

    /// <summary>The owner that no longer holds the lease.</summary>
    public string OwnerId { get; }
}
