namespace AgentFlow.Core.Events;

/// <summary>
/// Persists execution logs. Lives in Core so every store (in-memory, SQLite, PostgreSQL) implements it without
/// depending on the runtime.
/// </summary>
/// <remarks>
/// Ordering guarantees every implementation must give: a log is append-only; sequences are contiguous from 1;
/// an append succeeds only when <c>expectedSequence</c> equals the sequence of the log's last event (0 for a new log),
/// otherwise it throws <see cref="EventStoreConcurrencyException"/> and changes nothing; a batch is appended
/// atomically; reads return events in sequence order and never a partial batch. The caller may reuse the list it
/// passes to <see cref="AppendAsync"/> once the call returns, so a store must copy what it keeps.
/// </remarks>
public interface IEventStore
{
    /// <summary>Appends a batch whose first event has sequence <paramref name="expectedSequence"/> + 1.</summary>
    /// <exception cref="EventStoreConcurrencyException">The log's last sequence is not <paramref name="expectedSequence"/>.</exception>
    ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken);

    /// <summary>Reads a log from <paramref name="fromSequence"/> (inclusive); empty when the execution is unknown.</summary>
    ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken);

    /// <summary>Lists known executions, oldest first.</summary>
    IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync(CancellationToken cancellationToken);
}
