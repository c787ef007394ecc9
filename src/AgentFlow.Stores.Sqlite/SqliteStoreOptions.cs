namespace AgentFlow.Stores.Sqlite;

/// <summary>How to open a <see cref="SqliteWorkflowStore"/>.</summary>
/// <param name="Path">The database file; created (with its directory) when absent.</param>
public sealed record SqliteStoreOptions(string Path)
{
    /// <summary>The flush level of commits; <see cref="SqliteSynchronousMode.Normal"/> by default.</summary>
    public SqliteSynchronousMode Synchronous { get; init; } = SqliteSynchronousMode.Normal;

    /// <summary>How long to wait for another process's lock before failing with a clear error (at least one second is waited).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for lease expiry, due timers and saved-at times; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>The most write operations one group commit takes.</summary>
    public int MaxBatchSize { get; init; } = 1024;

    /// <summary>The most idle read connections kept open.</summary>
    public int MaxIdleReaders { get; init; } = 8;
}
