using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Runtime.Hosting;

/// <summary>
/// An execution's runner stopped because the execution is owned elsewhere now: another writer appended to its log
/// (or a child's) first, the store refused an append because this process no longer holds the lease, or a lease
/// renewal found the lease taken. The runner recorded nothing after that; the execution is not failed, only no
/// longer run here.
/// </summary>
public sealed class ExecutionOwnershipLostException : Exception
{
    /// <summary>Creates the exception for the execution whose runner stopped, caused by <paramref name="cause"/>.</summary>
    /// <param name="cause">An <see cref="EventStoreConcurrencyException"/> or a <see cref="LeaseLostException"/>.</param>
    public ExecutionOwnershipLostException(string executionId, Exception cause)
        : base($"Execution '{executionId}' is owned elsewhere now: {cause?.Message}", cause) => ExecutionId = executionId;

    /// <summary>The execution this runner stopped running.</summary>
    public string ExecutionId { get; }

    /// <summary>The conflicting append (on this execution's log or on a child's), when that is how the loss showed.</summary>
    public EventStoreConcurrencyException? Conflict => InnerException as EventStoreConcurrencyException;

    /// <summary>The refused append or failed renewal, when the lease is how the loss showed.</summary>
    public LeaseLostException? LeaseLost => InnerException as LeaseLostException;
}
