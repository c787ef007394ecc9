using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

/// <summary>
/// The one writer of a database: callers enqueue operations; a single loop drains everything pending, runs each in
/// its own savepoint of one transaction, commits once and then completes every caller (group commit). A failing
/// operation rolls back its savepoint only, so it fails alone; a failing commit fails every operation of the batch.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteSession _session;
    private readonly Func<Exception, Exception> _translate;
    private readonly int _maxBatch;
    private readonly Task _loop;
    private long _commits;
    private long _operations;

    public SqliteWriter(SqliteSession session, int maxBatch, Func<Exception, Exception> translate)
    {
        _session = session;
        _maxBatch = maxBatch;
        _translate = translate;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Operations committed so far.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    public Task<T> EnqueueAsync<T>(Func<SqliteSession, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var operation = new WriteOperation<T>(body, cancellationToken);
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(SqliteWorkflowStore), "The store is closed.");
        }

        return operation.Task;
    }

    /// <summary>Stops taking writes, commits everything already queued, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _session.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(_maxBatch);
        var errors = new List<Exception?>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            errors.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var operation))
            {
                if (operation.CancellationToken.IsCancellationRequested)
                {
                    operation.Cancel();
                }
                else
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                RunBatch(batch, errors);
            }
#pragma warning disable CA1031 // The loop must outlive any one batch, or every later caller would wait forever.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                TryRollback();
                FailAll(batch, _translate(ex));
            }
        }
    }

    private void RunBatch(List<WriteOperation> batch, List<Exception?> errors)
    {
        try
        {
            _session.Execute("BEGIN IMMEDIATE");
        }
        catch (Exception ex) when (ex is SqliteException)
        {
            FailAll(batch, _translate(ex));
            return;
        }

        try
        {
            foreach (var operation in batch)
            {
                errors.Add(RunInSavepoint(operation));
            }

            _session.Execute("COMMIT");
        }
        catch (Exception ex) when (ex is SqliteException)
        {
            TryRollback();
            FailAll(batch, _translate(ex));
            return;
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _operations, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is { } error)
            {
                batch[i].Fail(error);
            }
            else
            {
                batch[i].Complete();
            }
        }
    }

    private Exception? RunInSavepoint(WriteOperation operation)
    {
        _session.Execute("SAVEPOINT op");
        try
        {
            operation.Execute(_session);
            _session.Execute("RELEASE op");
            return null;
        }
#pragma warning disable CA1031 // Any failure of one caller's write is that caller's result; it must not fail the batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _session.Execute("ROLLBACK TO op");
            _session.Execute("RELEASE op");
            return _translate(ex);
        }
    }

    private void TryRollback()
    {
        try
        {
            _session.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled back (e.g. after an I/O error); the batch is failed either way.
        }
    }

    private static void FailAll(List<WriteOperation> batch, Exception error)
    {
        foreach (var operation in batch)
        {
            operation.Fail(error);
        }
    }
}
