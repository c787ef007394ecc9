using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

/// <summary>Turns SQLite failures into the one-line <see cref="StoreException"/>s users can act on.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int Corrupt = 11;
    private const int NotADatabase = 26;

    public static StoreException NotOurs(string path, Exception? inner = null) =>
        new(StoreErrorKind.NotADatabase, $"'{path}' is not an AgentFlow database or is damaged; point AgentFlow at another file or restore this one from a backup.", inner);

    public static StoreException TooNew(string path, long found, int supported) =>
        new(StoreErrorKind.SchemaTooNew, $"'{path}' was written by a newer AgentFlow (schema {found}, this build supports {supported}); upgrade AgentFlow.");

    public static StoreException LockedBy(string path, TimeSpan waited, Exception? inner = null) =>
        new(StoreErrorKind.Locked, $"'{path}' is locked by another process or writer (waited {waited.TotalSeconds:0.#} s); stop the other AgentFlow using it or raise the busy timeout.", inner);

    /// <summary>The store error for <paramref name="exception"/>, or null when it is not a SQLite failure we classify.</summary>
    public static StoreException? Classify(Exception exception, string path, TimeSpan busyTimeout) => exception switch
    {
        StoreException => null,
        SqliteException { SqliteErrorCode: Busy or Locked } e => LockedBy(path, busyTimeout, e),
        SqliteException { SqliteErrorCode: Corrupt or NotADatabase } e => NotOurs(path, e),
        SqliteException e => new StoreException(StoreErrorKind.Failed, $"'{path}': SQLite failed ({e.Message.ReplaceLineEndings(" ")}); check the disk and file permissions.", e),
        _ => null,
    };
}
