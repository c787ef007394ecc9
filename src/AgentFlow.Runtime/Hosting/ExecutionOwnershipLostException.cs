using AgentFlow.Core.Events;

namespace AgentFlow.Runtime.Hosting;

/// <summary>
/// An execution's runner stopped because another writer appended to its log (or a child's log) first: someone else
/// owns it now. The runner recorded nothing after the conflict; the execution is not failed, only no longer run here.
/// </summary>
public sealed class ExecutionOwnershipLostException : Exception
{
    /// <summary>Creates the exception for the execution whose runner stopped, caused by the conflicting append.</summary>
    public ExecutionOwnershipLostException(string executionId, EventStoreConcurrencyException conflict)
        : base($"Execution '{executionId}' is owned elsewhere now: {conflict?.Message}", conflict) => ExecutionId = executionId;

    /// <summary>The execution this runner stopped running.</summary>
    public string ExecutionId { get; }

    /// <summary>The conflicting append (on this execution's log or on a child's).</summary>
    public EventStoreConcurrencyException Conflict => (EventStoreConcurrencyException)InnerException!;
}
