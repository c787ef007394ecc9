using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. All writes go through one writer that group-commits
/// whatever is pending (each caller in its own savepoint, so one conflict fails alone); reads use separate connections
/// and see the last commit. Open with <see cref="OpenAsync"/>. Its notifications (<see cref="IStoreNotifications"/>)
/// are the writes of this store instance, announced once committed; another process writing the same file is not
/// heard, so its workers rely on their safety poll for that.
/// </summary>
public sealed partial class SqliteWorkflowStore : IWorkflowStore, IStoreNotifications
{
    private readonly StoreNotifier _notifier;

    private readonly SqliteWriter _writer;
    private readonly ReaderPool _readers;
    private readonly TimeProvider _time;
    private readonly string _path;
    private readonly TimeSpan _busyTimeout;

    private SqliteWorkflowStore(SqliteStoreOptions options, SqliteConnection writer)
    {
        _path = options.Path;
        _busyTimeout = options.BusyTimeout;
        _time = options.TimeProvider ?? TimeProvider.System;
        _notifier = new StoreNotifier(_time);
        _writer = new SqliteWriter(new SqliteSession(writer), options.MaxBatchSize, Translate);
        var readerConnection = SqliteOpener.ConnectionString(options.Path, SqliteOpenMode.ReadWrite, options.BusyTimeout);
        _readers = new ReaderPool(readerConnection, (int)options.BusyTimeout.TotalMilliseconds, options.MaxIdleReaders);
    }

    /// <summary>Transactions the writer has committed: with group commit, far fewer than the writes it took.</summary>
    public long CommitCount => _writer.Commits;

    /// <summary>Write operations the writer has committed.</summary>
    public long WriteCount => _writer.Operations;

    /// <summary>Opens (creating and migrating when needed) the database file.</summary>
    /// <exception cref="StoreException">
    /// The file is not an AgentFlow database or is damaged, was written by a newer AgentFlow, or is locked by another
    /// process; the file is left unchanged.
    /// </exception>
    public static Task<SqliteWorkflowStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();

        // Idempotent: selects the bundled native SQLite for Microsoft.Data.Sqlite.Core.
        SQLitePCL.Batteries_V2.Init();

        // Opening does blocking file I/O (and may wait out the busy timeout): keep it off the caller's thread.
        return Task.Run(() => new SqliteWorkflowStore(options, SqliteOpener.OpenWriter(options)), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateAppend(executionId, expectedSequence, events);
        var (batch, rows) = Serialize(events);
        return new(AnnounceAppendAsync(expectedSequence, _writer.EnqueueAsync(c => Append(c, executionId, expectedSequence, batch, rows), cancellationToken)));
    }

    /// <inheritdoc />
    public ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken) => _notifier.WaitAsync(channel, timeout, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyCollection<string>? TakeAnnounced(StoreChannel channel) => _notifier.TakeAnnounced(channel);

    /// <inheritdoc />
    public ValueTask<IDisposable> SubscribeAsync(StoreChannel channel, Action<StoreAnnouncement> onAnnounced, CancellationToken cancellationToken) =>
        new(_notifier.Subscribe(channel, onAnnounced));

    /// <summary>Announces on <paramref name="channel"/> once <paramref name="write"/> committed, when <paramref name="announce"/> says so.</summary>
    private async Task<T> AnnounceAsync<T>(Task<T> write, StoreChannel channel, string executionId, Func<T, bool> announce)
    {
        var result = await write.ConfigureAwait(false);
        if (announce(result))
        {
            _notifier.Notify(channel, executionId);
        }

        return result;
    }

    /// <summary>
    /// Announces a committed append to live streams; a new log of an unfinished execution also makes it runnable for
    /// whoever claims it.
    /// </summary>
    private async Task AnnounceAppendAsync(long expectedSequence, Task<ExecutionRecord> append)
    {
        var row = await append.ConfigureAwait(false);
        if (expectedSequence == 0 && !row.IsTerminal)
        {
            _notifier.Notify(StoreChannel.Runnable, row.ExecutionId);
        }

        _notifier.Notify(StoreChannel.Appended, row.ExecutionId, row.WorkflowId);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return new(Read<IReadOnlyList<ExecutionEvent>>(c =>
        {
            var command = c.Command("SELECT data FROM events WHERE execution_id = $id AND sequence >= $from ORDER BY sequence", ("$id", executionId), ("$from", fromSequence));
            using var reader = command.ExecuteReader();
            var events = new List<ExecutionEvent>();
            while (reader.Read())
            {
                events.Add(EventSerializer.Deserialize(reader.GetString(0)));
            }

            return events;
        }));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = Read(c =>
        {
            var command = c.Command($"SELECT {ExecutionColumns} FROM executions ORDER BY created_at, execution_id");
            return ReadExecutions(command);
        });
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ExecutionSummary(row.ExecutionId, row.WorkflowId, ExecutionStatusNames.Format(row.Status), row.CreatedAt, row.FinishedAt, row.ParentExecutionId, row.LastSequence);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Commits every write already accepted, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _readers.Dispose();
    }

    /// <summary>
    /// Serializes on the caller's thread so the single writer spends its time on SQLite only; the copy keeps the
    /// queued write independent of what the caller does with its list.
    /// </summary>
    private static (ExecutionEvent[] Batch, string[] Rows) Serialize(IReadOnlyList<ExecutionEvent> events)
    {
        var batch = events.ToArray();
        var rows = new string[batch.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = EventSerializer.Serialize(batch[i]);
        }

        return (batch, rows);
    }

    /// <returns>The execution's index row after the append.</returns>
    private static ExecutionRecord Append(SqliteSession c, string executionId, long expectedSequence, ExecutionEvent[] events, string[] rows)
    {
        var current = LoadExecution(c, executionId);
        var actual = current?.LastSequence ?? 0;
        if (actual != expectedSequence)
        {
            throw new EventStoreConcurrencyException(executionId, expectedSequence, actual);
        }

        var row = ExecutionIndexProjection.Apply(current, events);
        CheckStartable(c, current, row);
        for (var i = 0; i < events.Length; i++)
        {
            c.Execute(
                "INSERT INTO events (execution_id, sequence, timestamp, data) VALUES ($id, $seq, $ts, $data)",
                ("$id", executionId),
                ("$seq", events[i].Sequence),
                ("$ts", events[i].Timestamp.UtcTicks),
                ("$data", rows[i]));
        }

        SaveExecution(c, row, isNew: current is null);
        return row;
    }

    /// <summary>Runs a write on the single writer; tests use it to hold the writer still or inspect its connection.</summary>
    internal Task<T> WriteAsync<T>(Func<SqliteSession, T> body, CancellationToken cancellationToken) => _writer.EnqueueAsync(body, cancellationToken);

    private T Read<T>(Func<SqliteSession, T> body)
    {
        try
        {
            return _readers.Read(body);
        }
        catch (Exception ex) when (SqliteErrors.Classify(ex, _path, _busyTimeout) is { } error)
        {
            throw error;
        }
    }

    private Exception Translate(Exception exception) => SqliteErrors.Classify(exception, _path, _busyTimeout) ?? exception;
}
