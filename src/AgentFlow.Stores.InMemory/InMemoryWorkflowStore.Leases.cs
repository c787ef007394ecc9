using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, ExecutionLease> _leases = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ExecutionLease?> TryAcquireLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_leases.TryGetValue(executionId, out var held) && held.OwnerId != ownerId && held.ExpiresAt > now)
            {
                return new((ExecutionLease?)null);
            }

            return new(_leases[executionId] = new ExecutionLease(executionId, ownerId, now + duration));
        }
    }

    /// <inheritdoc />
    public ValueTask<ExecutionLease?> RenewLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        lock (_gate)
        {
            if (!_leases.TryGetValue(executionId, out var held) || held.OwnerId != ownerId)
            {
                return new((ExecutionLease?)null);
            }

            return new(_leases[executionId] = held with { ExpiresAt = _time.GetUtcNow() + duration });
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionLease>> RenewLeasesAsync(IReadOnlyCollection<string> executionIds, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        lock (_gate)
        {
            var until = _time.GetUtcNow() + duration;
            var renewed = new List<ExecutionLease>(executionIds.Count);
            foreach (var executionId in executionIds)
            {
                if (_leases.TryGetValue(executionId, out var held) && held.OwnerId == ownerId)
                {
                    renewed.Add(_leases[executionId] = held with { ExpiresAt = until });
                }
            }

            return new(renewed);
        }
    }

    /// <inheritdoc />
    public ValueTask AppendLeasedAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, string leaseExecutionId, string ownerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseExecutionId);
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        StoreArguments.ValidateAppend(executionId, expectedSequence, events);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_leases.TryGetValue(leaseExecutionId, out var held) || held.OwnerId != ownerId)
            {
                throw new LeaseLostException(executionId, leaseExecutionId, ownerId);
            }

            AppendLocked(executionId, expectedSequence, events);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseLeaseAsync(string executionId, string ownerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var released = _leases.TryGetValue(executionId, out var held) && held.OwnerId == ownerId && _leases.Remove(executionId);
            if (released && _index.TryGetValue(executionId, out var row) && !row.IsTerminal)
            {
                _notifier.Notify(StoreChannel.Runnable, executionId);
            }

            return new(released);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionLease>> ClaimRunnableExecutionsAsync(string ownerId, int maxCount, TimeSpan duration, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateClaim(ownerId, maxCount, duration);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var claimed = _index.Values
                .Where(r => r.Status is Core.Execution.ExecutionStatus.Running or Core.Execution.ExecutionStatus.Cancelling && (!_leases.TryGetValue(r.ExecutionId, out var held) || held.ExpiresAt <= now))
                .OrderBy(r => r.CreatedAt.UtcTicks).ThenBy(r => r.ExecutionId, StringComparer.Ordinal)
                .Take(maxCount)
                .Select(r => new ExecutionLease(r.ExecutionId, ownerId, now + duration))
                .ToList();
            foreach (var lease in claimed)
            {
                _leases[lease.ExecutionId] = lease;
            }

            return new(claimed);
        }
    }
}
