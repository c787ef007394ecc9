using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary>
/// Runs a script's <c>main({params})</c> in a bounded pool of warm Node.js processes. Each run gets a fresh <c>vm</c>
/// context without <c>require</c>/<c>process</c>; the processes run under Node's permission model with no grants
/// (no file system, no child processes or workers) and a heap limit; each run has a time limit. A process that timed
/// out, crashed, ran out of memory or was cancelled mid-run is killed and never reused; the next run starts a new one.
/// </summary>
/// <param name="nodePath">The <c>node</c> executable.</param>
/// <param name="memoryMegabytes">Heap limit of each process (<c>--max-old-space-size</c>).</param>
/// <param name="timeoutMilliseconds">Time limit of one run.</param>
/// <param name="poolSize">Processes that may run at once; 0 picks the processor count, at least 2 and at most 8.</param>
/// <param name="idleMilliseconds">A process idle this long exits by itself, so an undisposed runner leaves nothing behind.</param>
/// <param name="time">Clock for the time limit and idle ages.</param>
internal sealed class CodeRunner(
    string nodePath = "node",
    int memoryMegabytes = 64,
    int timeoutMilliseconds = 60_000,
    int poolSize = 0,
    int idleMilliseconds = 30_000,
    TimeProvider? time = null) : IAsyncDisposable
{
    // A process serves this many runs at most, which bounds whatever a script may leave behind in it.
    private const int MaxRunsPerProcess = 1_000;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _slots = new(PoolSize(poolSize));
    private readonly Stack<CodeWorker> _idle = new();
    private int _busy;
    private int _peakBusy;
    private int _started;
    private bool _disposed;

    /// <summary>Processes that may run at once.</summary>
    public int Capacity { get; } = PoolSize(poolSize);

    /// <summary>Processes launched so far (tests: a reused process does not count again).</summary>
    public int ProcessesStarted => Volatile.Read(ref _started);

    /// <summary>The most runs that were in flight at the same moment.</summary>
    public int PeakConcurrency => Volatile.Read(ref _peakBusy);

    /// <summary>Ids of the warm processes waiting for work.</summary>
    public IReadOnlyList<int> IdleProcessIds
    {
        get
        {
            lock (_idle)
            {
                return [.. _idle.Select(w => w.ProcessId)];
            }
        }
    }

    /// <summary>Runs the script; returns main's result (undefined when it returned nothing).</summary>
    /// <exception cref="FlowGramException"><c>Code execution failed: …</c>.</exception>
    public async Task<object?> RunAsync(string script, JsObject parameters, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var request = Js.Stringify(new JsObject { ["script"] = script, ["params"] = Js.Stringify(parameters), ["timeout"] = (double)timeoutMilliseconds });
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var busy = Interlocked.Increment(ref _busy);
        InterlockedMax(ref _peakBusy, busy);
        CodeWorker? worker = null;
        try
        {
            // A grace second lets the vm's own limit report a synchronous endless loop; the kill covers async ones.
            // The clock starts once a process is ready: starting Node.js is not the script's time.
            var allowed = TimeSpan.FromMilliseconds(timeoutMilliseconds + 1000);
            using var limit = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            CodeReply reply;
            try
            {
                worker = TakeIdle() ?? await StartWorkerAsync(cancellationToken).ConfigureAwait(false);
                limit.CancelAfter(allowed);
                reply = await worker.SendAsync(request, linked.Token).ConfigureAwait(false);
                if (!reply.Ok && worker.ExitedIdle)
                {
                    // The process timed out its idleness just as the request arrived and never read it: run it afresh.
                    var gone = worker;
                    worker = null;
                    await gone.DisposeAsync().ConfigureAwait(false);
                    worker = await StartWorkerAsync(cancellationToken).ConfigureAwait(false);
                    limit.CancelAfter(allowed);
                    reply = await worker.SendAsync(request, linked.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FlowGramException("Code execution failed: timeout");
            }

            if (reply.Reusable && worker.Runs < MaxRunsPerProcess && Return(worker))
            {
                worker = null;
            }

            return reply.Ok ? reply.Value : throw new FlowGramException($"Code execution failed: {reply.Error}");
        }
        finally
        {
            if (worker is not null)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }

            Interlocked.Decrement(ref _busy);
            _slots.Release();
        }
    }

    /// <summary>Kills the idle processes; runs in flight finish and their processes are then killed too.</summary>
    public async ValueTask DisposeAsync()
    {
        CodeWorker[] idle;
        lock (_idle)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var worker in idle)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int PoolSize(int requested) => requested > 0 ? requested : Math.Clamp(Environment.ProcessorCount, 2, 8);

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    private Task<CodeWorker> StartWorkerAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        return CodeWorker.StartAsync(nodePath, memoryMegabytes, idleMilliseconds, cancellationToken);
    }

    private CodeWorker? TakeIdle()
    {
        // Leave a margin before the process's own idle exit, so we never hand work to one that is about to leave.
        var stale = TimeSpan.FromMilliseconds(idleMilliseconds * 0.8);
        while (true)
        {
            CodeWorker? worker;
            lock (_idle)
            {
                if (!_idle.TryPop(out worker))
                {
                    return null;
                }
            }

            if (!worker.HasExited && _time.GetElapsedTime(worker.IdleSince) < stale)
            {
                return worker;
            }

            _ = worker.DisposeAsync().AsTask();
        }
    }

    private bool Return(CodeWorker worker)
    {
        worker.IdleSince = _time.GetTimestamp();
        lock (_idle)
        {
            if (_disposed)
            {
                return false;
            }

            _idle.Push(worker);
            return true;
        }
    }
}
