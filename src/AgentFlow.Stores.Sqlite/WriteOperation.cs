namespace AgentFlow.Stores.Sqlite;

/// <summary>One caller's write, run by the single writer inside its own savepoint of a group commit.</summary>
internal abstract class WriteOperation(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Runs the write; throwing rolls back this operation's savepoint only.</summary>
    public abstract void Execute(SqliteSession session);

    /// <summary>Reports success once the transaction holding the write has committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}

/// <summary>A write with a result.</summary>
internal sealed class WriteOperation<T>(Func<SqliteSession, T> body, CancellationToken cancellationToken) : WriteOperation(cancellationToken)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override void Execute(SqliteSession session) => _result = body(session);

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
