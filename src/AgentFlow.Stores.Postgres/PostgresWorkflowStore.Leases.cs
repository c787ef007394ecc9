using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <inheritdoc />
    public ValueTask<ExecutionLease?> TryAcquireLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        var now = _time.GetUtcNow();
        return new(RunAsync("acquire a lease", async connection =>
        {
            await using var command = Command(connection, _sql.AcquireLease, executionId, ownerId, (now + duration).UtcTicks, now.UtcTicks);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long expires
                ? new ExecutionLease(executionId, ownerId, PostgresRows.Time(expires))
                : null;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<ExecutionLease?> RenewLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        StoreArguments.ValidateClaim(ownerId, 1, duration);
        var now = _time.GetUtcNow();
        return new(RunAsync("renew a lease", async connection =>
        {
            await using var command = Command(connection, _sql.RenewLease, executionId, ownerId, (now + duration).UtcTicks);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long expires
                ? new ExecutionLease(executionId, ownerId, PostgresRows.Time(expires))
                : null;
        }, cancellationToken));
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

        var ids = executionIds.ToArray();
        var until = _time.GetUtcNow() + duration;
        return new(RunAsync<IReadOnlyList<ExecutionLease>>("renew leases", async connection =>
        {
            await using var command = Command(connection, _sql.RenewLeases, ids, ownerId, until.UtcTicks);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var renewed = new List<ExecutionLease>(ids.Length);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                renewed.Add(new ExecutionLease(reader.GetString(0), ownerId, until));
            }

            return renewed;
        }, cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>Releasing the lease of a running execution announces it on <see cref="StoreChannel.Runnable"/>.</remarks>
    public ValueTask<bool> ReleaseLeaseAsync(string executionId, string ownerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        return new(RunAsync("release a lease", async connection =>
        {
            await using var command = Command(connection, _sql.ReleaseLease, executionId, ownerId, _sql.RunnableChannel);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Concurrent claimers, in this process or others, skip each other's candidate rows (<c>FOR UPDATE SKIP LOCKED</c>)
    /// instead of queueing behind them, and the lease upsert re-checks expiry under the lease row's lock, so an
    /// execution is never handed to two claimers.
    /// </remarks>
    public ValueTask<IReadOnlyList<ExecutionLease>> ClaimRunnableExecutionsAsync(string ownerId, int maxCount, TimeSpan duration, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateClaim(ownerId, maxCount, duration);
        var now = _time.GetUtcNow();
        var expires = now + duration;
        return new(RunAsync<IReadOnlyList<ExecutionLease>>("claim runnable executions", async connection =>
        {
            await using var command = Command(connection, _sql.ClaimRunnable, now.UtcTicks, maxCount, ownerId, expires.UtcTicks);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var leases = new List<ExecutionLease>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                leases.Add(new ExecutionLease(reader.GetString(0), ownerId, expires));
            }

            return leases;
        }, cancellationToken));
    }
}
