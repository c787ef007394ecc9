namespace AgentFlow.Core.Events;

/// <summary>An append lost an optimistic-concurrency race: the log had moved on.</summary>
public sealed class EventStoreConcurrencyException : Exception
{
    public EventStoreConcurrencyException(string executionId, long expectedSequence, long actualSequence)
        : base($"Execution '{executionId}': expected the log to end at sequence {expectedSequence} but it ends at {actualSequence}.")
    {
        ExecutionId = executionId;
        ExpectedSequence = expectedSequence;
        ActualSequence = actualSequence;
    }

    public string ExecutionId { get; }

    public long ExpectedSequence { get; }

    public long ActualSequence { get; }
}
