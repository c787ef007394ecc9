namespace AgentFlow.Stores.Sqlite;

/// <summary>How hard SQLite flushes to disk on commit (<c>PRAGMA synchronous</c>).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// With WAL, a commit survives a process crash; a power loss may roll back the last commits but never corrupts the
    /// file. The default: durable enough for most hosts and much faster.
    /// </summary>
    Normal = 0,

    /// <summary>Every commit is flushed to stable storage before it returns; survives power loss.</summary>
    Full,
}
