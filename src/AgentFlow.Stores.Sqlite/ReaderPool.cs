using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

/// <summary>
/// Read-only connections beside the writer: with WAL, readers see the last commit and never wait for the writer.
/// Owned by one store (no process-wide pool), so disposing the store closes every connection to the file.
/// </summary>
internal sealed class ReaderPool(string connectionString, int busyTimeoutMs, int maxIdle) : IDisposable
{
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private int _disposed;

    public T Read<T>(Func<SqliteSession, T> body)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_idle.TryTake(out var connection))
        {
            var opened = new SqliteConnection(connectionString);
            opened.Open();
            connection = new SqliteSession(opened);
            connection.Execute($"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA query_only = 1;");
        }

        try
        {
            return body(connection);
        }
        finally
        {
            if (Volatile.Read(ref _disposed) == 0 && _idle.Count < maxIdle)
            {
                _idle.Add(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
