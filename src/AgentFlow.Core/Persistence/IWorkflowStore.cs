using AgentFlow.Core.Events;

namespace AgentFlow.Core.Persistence;

/// <summary>
/// Everything a durable, multi-process execution needs from storage: the event logs (<see cref="IEventStore"/>), the
/// versioned workflow definitions, the execution index, durable timers, the signal inbox and ownership leases.
/// </summary>
/// <remarks>
/// <para>
/// Every store (in-memory, SQLite, PostgreSQL) passes the same contract test suite. Guarantees shared by all parts:
/// every write is atomic (it happens entirely or not at all); a write that throws changed nothing; a write that
/// returned is durable to the degree the store promises (the in-memory store: for its own lifetime).
/// </para>
/// <para>
/// Time: wherever the contract compares against "now" (lease expiry, due timers, claim expiry) the store uses the
/// <see cref="TimeProvider"/> it was constructed with, never the database's own clock, so tests and replays control it.
/// </para>
/// <para>Disposing flushes pending writes and then releases the store's resources.</para>
/// </remarks>
public interface IWorkflowStore : IEventStore, IDefinitionStore, IExecutionIndex, ITimerStore, ISignalStore, ILeaseStore, IAsyncDisposable;
