namespace AgentFlow.Core.Persistence;

/// <summary>
/// A store cannot be used as asked: the file is not a database, was written by a newer build, is locked, or the
/// database failed. The message is one line that says what happened and how to fix it.
/// </summary>
public sealed class StoreException : Exception
{
    public StoreException(StoreErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    /// <summary>What went wrong, for callers that react differently (e.g. exit codes).</summary>
    public StoreErrorKind Kind { get; }
}
