using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    // Takes the lease when it is free, expired, or already ours; otherwise changes nothing (0 rows).
    private const string AcquireLease = """
        INSERT INTO leases (execution_id, owner_id, expires_at) VALUES ($e, $owner, $until)
        ON CONFLICT (execution_id) DO UPDATE SET owner_id = excluded.owner_id, expires_at = excluded.expires_at
        WHERE leases.owner_id = excluded.owner_id OR leases.expires_at <= $now
        """;

    /// <inheritdoc />
    public ValueTask<ExecutionLease?> TryAcquireLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        return new(_writer.EnqueueAsync(c => Acquire(c, executionId, ownerId, _time.GetUtcNow(), duration), cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<ExecutionLease?> RenewLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        return new(_writer.EnqueueAsync(
            c =>
            {
                var until = _time.GetUtcNow() + duration;
                var renewed = c.Execute(
                    "UPDATE leases SET expires_at = $until WHERE execution_id = $e AND owner_id = $owner",
                    ("$until", until.UtcTicks),
                    ("$e", executionId),
                    ("$owner", ownerId)) == 1;
                return renewed ? new ExecutionLease(executionId, ownerId, until) : null;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionLease>> RenewLeasesAsync(IReadOnlyCollection<string> executionIds, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        if (executionIds.Count == 0)
        {
            return new([]);
        }

        // One statement however many leases (the ids travel as one JSON array): a heartbeat is one short write.
        var ids = System.Text.Json.JsonSerializer.Serialize(executionIds.ToArray(), SqliteJsonContext.Default.StringArray);
        return new(_writer.EnqueueAsync<IReadOnlyList<ExecutionLease>>(
            c =>
            {
                var until = _time.GetUtcNow() + duration;
                var update = c.Command(
                    "UPDATE leases SET expires_at = $until WHERE owner_id = $owner AND execution_id IN (SELECT value FROM json_each($ids)) RETURNING execution_id",
                    ("$until", until.UtcTicks),
                    ("$owner", ownerId),
                    ("$ids", ids));
                using var reader = update.ExecuteReader();
                var renewed = new List<ExecutionLease>(executionIds.Count);
                while (reader.Read())
                {
                    renewed.Add(new ExecutionLease(reader.GetString(0), ownerId, until));
                }

                return renewed;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask AppendLeasedAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, string leaseExecutionId, string ownerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseExecutionId);
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        StoreArguments.ValidateAppend(executionId, expectedSequence, events);
        var (batch, rows) = Serialize(events);
        var append = _writer.EnqueueAsync(
            c =>
            {
                // The single writer makes the lease read and the append one atomic step: no claim can come between.
                var owner = c.Scalar("SELECT owner_id FROM leases WHERE execution_id = $e", ("$e", leaseExecutionId)) as string;
                if (!string.Equals(owner, ownerId, StringComparison.Ordinal))
                {
                    throw new LeaseLostException(executionId, leaseExecutionId, ownerId);
                }

                return Append(c, executionId, expectedSequence, batch, rows);
            },
            cancellationToken);
        return new(AnnounceAppendAsync(expectedSequence, append));
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseLeaseAsync(string executionId, string ownerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(ownerId);
        return new(ReleaseAsync(executionId, ownerId, cancellationToken));
    }

    private async Task<bool> ReleaseAsync(string executionId, string ownerId, CancellationToken cancellationToken)
    {
        var (released, unfinished) = await _writer.EnqueueAsync(
            c => c.Execute("DELETE FROM leases WHERE execution_id = $e AND owner_id = $owner", ("$e", executionId), ("$owner", ownerId)) == 1
                ? (true, c.Scalar("SELECT 1 FROM executions WHERE execution_id = $e AND status IN ('running', 'cancelling')", ("$e", executionId)) is not null)
                : (false, false),
            cancellationToken).ConfigureAwait(false);
        if (unfinished)
        {
            // Committed: the execution is runnable for whoever claims it now.
            _notifier.Notify(StoreChannel.Runnable, executionId);
        }

        return released;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionLease>> ClaimRunnableExecutionsAsync(string ownerId, int maxCount, TimeSpan duration, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateClaim(ownerId, maxCount, duration);
        return new(_writer.EnqueueAsync<IReadOnlyList<ExecutionLease>>(
            c =>
            {
                var now = _time.GetUtcNow();
                var candidates = new List<string>();
                var select = c.Command(
                    """
                    SELECT e.execution_id FROM executions e LEFT JOIN leases l ON l.execution_id = e.execution_id
                    WHERE e.status IN ('running', 'cancelling') AND (l.execution_id IS NULL OR l.expires_at <= $now)
                    ORDER BY e.created_at, e.execution_id LIMIT $max
                    """,
                    ("$now", now.UtcTicks),
                    ("$max", maxCount));
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        candidates.Add(reader.GetString(0));
                    }
                }

                return [.. candidates.Select(id => Acquire(c, id, ownerId, now, duration)).OfType<ExecutionLease>()];
            },
            cancellationToken));
    }

    private static ExecutionLease? Acquire(SqliteSession c, string executionId, string ownerId, DateTimeOffset now, TimeSpan duration)
    {
        var until = now + duration;
        var taken = c.Execute( AcquireLease, ("$e", executionId), ("$owner", ownerId), ("$until", until.UtcTicks), ("$now", now.UtcTicks)) == 1;
        return taken ? new ExecutionLease(executionId, ownerId, until) : null;
    }
}
