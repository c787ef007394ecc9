using System.Net.Sockets;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

/// <summary>Turns driver failures into the one-line <see cref="StoreException"/>s callers act on.</summary>
internal static class PostgresErrors
{
    /// <summary>Whether a failure is ours to translate (cancellation, argument errors and use after dispose pass through unchanged).</summary>
    public static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException or SocketException or TimeoutException;

    /// <summary>A failure to reach or log in to the server, naming where we tried and what to change.</summary>
    public static StoreException CannotConnect(string endpoint, Exception exception) =>
        new(StoreErrorKind.Failed, $"cannot connect to PostgreSQL at {endpoint}: {Reason(exception)}; check --postgres", exception);

    /// <summary>
    /// Whether every pooled connection stayed busy past the wait timeout: the server is fine, the process asks for
    /// more concurrent work than its pool allows (Npgsql reports it only in its message).
    /// </summary>
    public static bool IsPoolExhausted(Exception exception) =>
        exception is NpgsqlException { InnerException: TimeoutException } npgsql
        && npgsql.Message.Contains("pool has been exhausted", StringComparison.OrdinalIgnoreCase);

    /// <summary>A wait for a pooled connection that timed out.</summary>
    public static StoreException PoolExhausted(string endpoint, Exception exception) =>
        new(StoreErrorKind.Locked, $"every pooled connection to PostgreSQL at {endpoint} stayed busy past the timeout: {Reason(exception)}", exception);

    /// <summary>A failure of an operation on an open store.</summary>
    public static StoreException Operation(string operation, Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected } =>
            new StoreException(StoreErrorKind.Locked, $"cannot {operation}: {Reason(exception)}", exception),
        _ => new StoreException(StoreErrorKind.Failed, $"cannot {operation} in PostgreSQL: {Reason(exception)}", exception),
    };

    /// <summary>The innermost useful message, on one line.</summary>
    public static string Reason(Exception exception)
    {
        var reason = exception switch
        {
            PostgresException pg => pg.MessageText,
            NpgsqlException { InnerException: SocketException socket } => socket.Message,
            NpgsqlException { InnerException: TimeoutException } npgsql when IsPoolExhausted(npgsql) => npgsql.Message,
            NpgsqlException { InnerException: TimeoutException } => "the connection timed out",
            NpgsqlException { InnerException: { } inner } when inner is not NpgsqlException => inner.Message,
            _ => exception.Message,
        };
        return reason.ReplaceLineEndings(" ").TrimEnd('.');
    }
}
