using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Postgres.Schema;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

/// <summary>
/// The store contract on PostgreSQL, for many worker processes on many machines sharing one database: optimistic
/// appends on the (execution, sequence) key, leases and timer claims with <c>FOR UPDATE SKIP LOCKED</c>, and
/// wake-ups through <c>LISTEN/NOTIFY</c> (<see cref="IStoreNotifications"/>).
/// </summary>
/// <remarks>
/// Open it with <see cref="OpenAsync"/>, which checks the connection and migrates the schema. Thread-safe: every
/// operation takes its own pooled connection. Every time the contract compares against "now" is the injected
/// clock's, passed as a parameter; the server's clock is never read.
/// </remarks>
public sealed partial class PostgresWorkflowStore : IWorkflowStore, IStoreNotifications
{
    private const int ListPageSize = 500;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSql _sql;
    private readonly TimeProvider _time;
    private readonly PostgresNotificationListener _listener;

    // Appends are announced on their own connection, opened by the first subscriber: a worker that streams nothing
    // never receives every other process's appends.
    private readonly PostgresNotificationListener _appendListener;
    private readonly string _endpoint;
    private int _disposed;

    private PostgresWorkflowStore(NpgsqlDataSource dataSource, string endpoint, string schema, TimeProvider time)
    {
        _dataSource = dataSource;
        _endpoint = endpoint;
        _sql = new PostgresSql(schema);
        _time = time;
        _listener = new PostgresNotificationListener(dataSource, [_sql.RunnableChannel, _sql.SignalsChannel, _sql.TimersChannel, null], time);
        _appendListener = new PostgresNotificationListener(dataSource, [null, null, null, _sql.AppendedChannel], time);
        Schema = schema;
    }

    /// <summary>The schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <summary>The schema version this build creates and understands.</summary>
    public static int SchemaVersion => PostgresMigrations.LatestVersion;

    /// <summary>Connects, creates or upgrades the schema, and returns a store that owns its connection pool.</summary>
    /// <exception cref="ArgumentException">The schema name is not valid.</exception>
    /// <exception cref="StoreException">
    /// The connection string is malformed, the server cannot be reached or refuses the login (nothing was changed), or
    /// the schema was written by a newer build.
    /// </exception>
    public static async Task<PostgresWorkflowStore> OpenAsync(PostgresStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        PostgresSql.ValidateSchema(options.Schema);
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreException(StoreErrorKind.Failed, $"the PostgreSQL connection string is not valid: {PostgresErrors.Reason(ex)}; check --postgres", ex);
        }

        if (!options.ConnectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            // The store runs a small fixed set of statements many times: preparing them saves the server a parse and
            // plan per call, which is most of an append's cost on a busy server.
            settings.MaxAutoPrepare = 64;
        }

        var endpoint = $"{settings.Host}:{settings.Port}";
        var dataSource = NpgsqlDataSource.Create(settings);
        try
        {
            NpgsqlConnection connection;
            try
            {
                connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
            {
                throw PostgresErrors.CannotConnect(endpoint, ex);
            }

            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    await PostgresMigrations.MigrateAsync(connection, options.Schema, options.TimeProvider.GetUtcNow().UtcTicks, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
                {
                    throw PostgresErrors.Operation($"migrate schema '{options.Schema}'", ex);
                }
            }

            return new PostgresWorkflowStore(dataSource, endpoint, options.Schema, options.TimeProvider);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateAppend(executionId, expectedSequence, events);
        return AppendCoreAsync(executionId, expectedSequence, events, null, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The lease row is read <c>FOR SHARE</c> in the append's own transaction, so a claim by another owner waits for
    /// the append to commit (and then reads the log with it), or commits first and makes the append fail. No extra
    /// round trip: the check rides in the same batch as the append.
    /// </remarks>
    public ValueTask AppendLeasedAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, string leaseExecutionId, string ownerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseExecutionId);
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        StoreArguments.ValidateAppend(executionId, expectedSequence, events);
        return AppendCoreAsync(executionId, expectedSequence, events, new Fence(leaseExecutionId, ownerId), cancellationToken);
    }

    private async ValueTask AppendCoreAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, Fence? fence, CancellationToken cancellationToken)
    {
        var sequences = new long[events.Count];
        var payloads = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            sequences[i] = events[i].Sequence;
            payloads[i] = EventSerializer.Serialize(events[i]);
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (expectedSequence == 0)
            {
                // A new log needs no read: the events' primary key rejects a second first append. One round trip,
                // atomic as an implicit transaction.
                var row = ExecutionIndexProjection.Apply(null, events);
                await using (var batch = AppendBatch(connection, row, sequences, payloads, notifyRunnable: !row.IsTerminal, commit: false, fence))
                {
                    await ExecuteCheckedAsync(batch, null, row, cancellationToken).ConfigureAwait(false);
                }

                await AnnounceAppendedAsync(connection, executionId, row.WorkflowId).ConfigureAwait(false);
            }
            else if (IndexNeutral.Is(events))
            {
                await AppendNeutralAsync(connection, expectedSequence, events, sequences, payloads, fence, cancellationToken).ConfigureAwait(false);
                await AnnounceAppendedAsync(connection, executionId, null).ConfigureAwait(false);
            }
            else
            {
                var workflowId = await AppendToExistingAsync(connection, expectedSequence, events, sequences, payloads, fence, cancellationToken).ConfigureAwait(false);
                await AnnounceAppendedAsync(connection, executionId, workflowId).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (fence is not null && ex.SqlState == PostgresErrorCodes.DivisionByZero)
        {
            throw new LeaseLostException(executionId, fence.LeaseExecutionId, fence.OwnerId);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new EventStoreConcurrencyException(executionId, expectedSequence, await LastSequenceAsync(connection, executionId, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
        {
            throw PostgresErrors.Operation("append events", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = Command(connection, _sql.ReadEvents, executionId, fromSequence);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var events = new List<ExecutionEvent>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                events.Add(EventSerializer.Deserialize(reader.GetString(0)));
            }

            return events;
        }
        catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
        {
            throw PostgresErrors.Operation("read events", ex);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Pages by (created, id), so no connection is held while the caller consumes the rows.
        var after = (Ticks: long.MinValue, ExecutionId: string.Empty);
        while (true)
        {
            var page = await RunAsync("list executions", async connection =>
            {
                await using var command = Command(connection, _sql.ListExecutions, after.Ticks, after.ExecutionId, ListPageSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<ExecutionRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(PostgresRows.ReadExecution(reader));
                }

                return rows;
            }, cancellationToken).ConfigureAwait(false);

            foreach (var row in page)
            {
                after = (row.CreatedAt.UtcTicks, row.ExecutionId);
                yield return new ExecutionSummary(row.ExecutionId, row.WorkflowId, ExecutionStatusNames.Format(row.Status), row.CreatedAt, row.FinishedAt, row.ParentExecutionId, row.LastSequence);
            }

            if (page.Count < ListPageSize)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return ListenerOf(channel).WaitAsync(channel, timeout, cancellationToken);
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string>? TakeAnnounced(StoreChannel channel)
    {
        ThrowIfDisposed();
        return ListenerOf(channel).TakeAnnounced(channel);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Appends are announced by <c>pg_notify</c> in the append's transaction, so a subscriber hears every process's
    /// appends once they are committed. The first subscription to <see cref="StoreChannel.Appended"/> opens the
    /// connection that listens for them.
    /// </remarks>
    public ValueTask<IDisposable> SubscribeAsync(StoreChannel channel, Action<StoreAnnouncement> onAnnounced, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return ListenerOf(channel).SubscribeAsync(channel, onAnnounced, cancellationToken);
    }

    private PostgresNotificationListener ListenerOf(StoreChannel channel) => channel == StoreChannel.Appended ? _appendListener : _listener;

    /// <summary>
    /// Subscribes to the store's notifications now (the first <see cref="WaitAsync"/> would otherwise), so that
    /// everything announced from the moment this returns wakes the next wait. Call it when a worker starts, before
    /// its first claim.
    /// </summary>
    public Task StartListeningAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _listener.StartAsync(cancellationToken);
    }

    /// <summary>Stops listening and closes every pooled connection; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await _appendListener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
