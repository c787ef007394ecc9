using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Tests;

/// <summary>Blocks until released; records that it started and the token it received.</summary>
internal sealed class GateExecutor : INodeExecutor
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<CancellationToken> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls;

    public void Release() => _release.TrySetResult();

    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        Entered.TrySetResult(cancellationToken);
        await _release.Task.WaitAsync(cancellationToken);
        return context.Parameters;
    }
}

/// <summary>Every caller waits until <c>parties</c> callers have arrived: completes only if they truly overlap.</summary>
internal sealed class BarrierExecutor(int parties) : INodeExecutor
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrived) == parties)
        {
            _all.TrySetResult();
        }

        await _all.Task.WaitAsync(cancellationToken);
        return context.Node.Id;
    }
}

/// <summary>Yields a few times while tracking how many calls overlap.</summary>
internal sealed class ConcurrencyProbe : INodeExecutor
{
    private int _current;
    private int _max;

    public int Max => Volatile.Read(ref _max);

    public int Calls;

    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }

        for (var i = 0; i < 5; i++)
        {
            await Task.Yield();
        }

        Interlocked.Decrement(ref _current);
        return context.Parameters;
    }
}

/// <summary>Fails with a retryable error for the first <c>failures</c> attempts.</summary>
internal sealed class FlakyExecutor(int failures, string code = "http.status") : INodeExecutor
{
    public List<string> Keys { get; } = [];

    public ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        lock (Keys)
        {
            Keys.Add(context.IdempotencyKey);
        }

        return context.Attempt <= failures
            ? throw new NodeExecutionException(code, $"attempt {context.Attempt} failed", retryable: true)
            : new(Value.From(context.Attempt));
    }
}

/// <summary>Signals entry, then waits for cancellation forever.</summary>
internal sealed class HangExecutor : INodeExecutor
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return Value.Null;
    }
}
