namespace AgentFlow.Core.Events;

/// <summary>An append lost an optimistic-concurrency race: the log had moved on.</summary>
public sealed class EventStoreConcurrencyException : Exception
{
    /// <summary>Creates the exception for a lost append race.</summary>
    public EventStoreConcurrencyException(string executionId, long expectedSequence, long actualSequence)
        : base($"Execution '{executionId}': expected the log to end at sequence {expectedSequence} but it ends at {actualSequence}.")
    {
        ExecutionId = executionId;
        ExpectedSequence = expectedSequence;
        ActualSequence = actualSequence;
    }

    /// <summary>The execution whose log was appended to.</summary>
    public string ExecutionId { get; }

    /// <summary>The last sequence the writer believed the log had.</summary>
    public long ExpectedSequence { get; }

    /// <summary>The log's actual last sequence.</summary>
    public long ActualSequence { get; }
}
