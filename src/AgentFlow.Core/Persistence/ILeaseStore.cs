using AgentFlow.Core.Events;

namespace AgentFlow.Core.Persistence;

/// <summary>Ownership leases: which process runs an execution, so two never run it at once.</summary>
/// <remarks>
/// Guarantees: at any instant of the store clock an execution has at most one live lease (expiry after now); a live
/// lease of one owner cannot be acquired, renewed or released by another; an expired lease is free for anyone,
/// including its previous owner. Expiry is judged with the store's injected <see cref="TimeProvider"/>, passed to the
/// database as a parameter, so all processes sharing a database must have reasonably synchronised clocks.
/// Claiming runnable executions is atomic: two concurrent claimers never receive the same execution.
/// A leased append (<see cref="AppendLeasedAsync"/>) checks the lease inside the append's own atomic write, so a
/// process that lost an execution cannot add even one event once the new owner holds the lease.
/// </remarks>
public interface ILeaseStore
{
    /// <summary>Acquires the lease for <paramref name="ownerId"/>, or extends it when the owner already holds it.</summary>
    /// <returns>The lease; null when another owner holds a live lease.</returns>
    ValueTask<ExecutionLease?> TryAcquireLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends a lease the owner holds (or held and nobody took since it expired).</summary>
    /// <returns>The renewed lease; null when the owner lost it (another owner holds it, or it was released).</returns>
    ValueTask<ExecutionLease?> RenewLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Renews many leases of one owner in one write (a heartbeat's), each like <see cref="RenewLeaseAsync"/>.
    /// </summary>
    /// <returns>The renewed leases; an id missing from them is a lease the owner lost.</returns>
    ValueTask<IReadOnlyList<ExecutionLease>> RenewLeasesAsync(IReadOnlyCollection<string> executionIds, string ownerId, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives up a lease.</summary>
    /// <returns>False when <paramref name="ownerId"/> did not hold it.</returns>
    ValueTask<bool> ReleaseLeaseAsync(string executionId, string ownerId, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> non-terminal executions (running or cancelling) that have no live
    /// lease to <paramref name="ownerId"/>, oldest first: how a worker picks up executions orphaned by a crash.
    /// </summary>
    ValueTask<IReadOnlyList<ExecutionLease>> ClaimRunnableExecutionsAsync(string ownerId, int maxCount, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Appends like <see cref="IEventStore.AppendAsync"/>, but only while <paramref name="ownerId"/> holds the lease on
    /// <paramref name="leaseExecutionId"/> (the log's own execution, or the root a child execution runs under). The
    /// lease counts as held when its row names the owner, like <see cref="RenewLeaseAsync"/>: an expired lease nobody
    /// took still counts, a lease another owner took or that was released does not. The check and the append are one
    /// atomic write, and the lease is checked before the sequence.
    /// </summary>
    /// <exception cref="LeaseLostException">The owner does not hold the lease; nothing was written.</exception>
    /// <exception cref="EventStoreConcurrencyException">The log's last sequence is not <paramref name="expectedSequence"/>.</exception>
    ValueTask AppendLeasedAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, string leaseExecutionId, string ownerId, CancellationToken cancellationToken);
}
