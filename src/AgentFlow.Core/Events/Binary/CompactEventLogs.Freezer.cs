using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>The background freezer of <see cref="CompactEventLogs"/>: ended logs encoded off the appending thread.</summary>
public sealed partial class CompactEventLogs
{
    private const int BatchSize = 64;

    // Logs queued before a drain task starts: one thread wake per this many logs rather than per log (a wake costs
    // more than encoding one small log). Up to this many logs may wait as objects while the store is quiet.
    private const int StartThreshold = 32;

    // Null: no background freezer, an ending append encodes its log itself.
    private readonly Lock? _owner;
    private readonly int _maxBacklog;
    private readonly int _startThreshold;

    // The encoder, its string table, the constant pool's numbering and the arena are single-writer: whoever encodes
    // (the drain task, or an append past the backlog bound) holds this. Never taken before the owner's lock.
    private readonly Lock _encoding = new();
    private readonly EventArena _arena = new();
    private readonly ConstantPool _constants = new();
    private readonly EventLogEncoder _encoder;

    // Under the owner's lock: logs waiting, logs the drain task is encoding, whether it runs, who waits for it.
    private readonly Queue<FreezeJob> _queue = new();
    private int _inFlight;
    private bool _draining;
    private TaskCompletionSource? _idle;
    private Exception? _lastFreezeError;
    private long _freezeFailures;

    /// <summary>How many logs failed to encode (they stay as event objects, still read correctly). Thread-safe.</summary>
    public long FreezeFailures => Interlocked.Read(ref _freezeFailures);

    /// <summary>Why the last log that failed to encode did; null when none did. Thread-safe.</summary>
    public Exception? LastFreezeError => Volatile.Read(ref _lastFreezeError);

    /// <summary>How many ended logs wait for the background freezer or are being encoded by it.</summary>
    public int FreezeBacklog => _queue.Count + _inFlight;

    // Tests hold the encoding lock to keep the drain task between taking logs and encoding them.
    internal Lock EncodingLock => _encoding;

    internal int FreezingNow => _inFlight;

    private bool QueueForFreezer => _owner is not null && _queue.Count + _inFlight < _maxBacklog;

    /// <summary>
    /// Completes once the background freezer has swapped in every log queued so far (at once without one), starting
    /// it for the few logs it has not started for. Call it without holding the owner's lock; for tests and for callers
    /// that want every finished log encoded.
    /// </summary>
    public Task WhenFrozenAsync(CancellationToken cancellationToken)
    {
        if (_owner is null)
        {
            return Task.CompletedTask;
        }

        lock (_owner)
        {
            if (!_draining)
            {
                if (_queue.Count == 0)
                {
                    return Task.CompletedTask;
                }

                StartDraining();
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private void Enqueue(ref Entry log)
    {
        log.Queued = true;
        _queue.Enqueue(new FreezeJob(log.Number, log.Live!));
        if (!_draining && _queue.Count >= _startThreshold)
        {
            StartDraining();
        }
    }

    private void StartDraining()
    {
        _draining = true;
        _ = Task.Run(Drain, CancellationToken.None);
    }

    private void Drain()
    {
        var batch = new FreezeJob[BatchSize];
        var frozen = new ReadOnlyMemory<byte>[BatchSize];
        var taken = 0;
        try
        {
            while (true)
            {
                lock (_owner!)
                {
                    Publish(batch.AsSpan(0, taken), frozen);
                    _inFlight = 0;
                    taken = 0;
                    while (taken < BatchSize && _queue.TryDequeue(out var job))
                    {
                        batch[taken++] = job;
                    }

                    if (taken == 0)
                    {
                        StopDraining();
                        return;
                    }

                    _inFlight = taken;
                }

                lock (_encoding)
                {
                    for (var i = 0; i < taken; i++)
                    {
                        frozen[i] = TryEncode(batch[i].Events, out var bytes) ? bytes : default;
                    }
                }
            }
        }
#pragma warning disable CA1031 // A drain task has no caller to throw to: what fails is recorded, and the logs stay readable as objects.
        catch (Exception error)
#pragma warning restore CA1031
        {
            RecordFailure(error);
            lock (_owner!)
            {
                // The logs taken or waiting keep their lists (read correctly), no longer queued: an append queues them again.
                foreach (var job in batch.AsSpan(0, taken).ToArray().Concat(_queue))
                {
                    ref var log = ref _logs.At(job.Number);
                    if (ReferenceEquals(log.Live, job.Events))
                    {
                        log.Queued = false;
                    }
                }

                _inFlight = 0;
                _queue.Clear();
                StopDraining();
            }
        }
    }

    private void StopDraining()
    {
        _draining = false;
        _idle?.TrySetResult();
        _idle = null;
    }

    /// <summary>Swaps encoded bytes in for the logs still as they were queued (under the owner's lock).</summary>
    private void Publish(ReadOnlySpan<FreezeJob> jobs, ReadOnlyMemory<byte>[] frozen)
    {
        var kept = -1;
        ref var keptLog = ref Unsafe.NullRef<Entry>();
        for (var i = 0; i < jobs.Length; i++)
        {
            ref var log = ref _logs.At(jobs[i].Number);
            if (!log.Queued || !ReferenceEquals(log.Live, jobs[i].Events))
            {
                // Appended to (a retry) while it was being encoded: these bytes describe an older log.
                DeadBytes += frozen[i].Length;
                continue;
            }

            log.Queued = false;
            if (frozen[i].Length == 0)
            {
                continue;
            }

            log.Frozen = frozen[i];
            if (kept >= 0)
            {
                keptLog.Live = null;
            }

            kept = log.Number;
            keptLog = ref log;
        }

        if (kept >= 0)
        {
            // The last log of the batch keeps its objects until the next freeze, as an inline freeze does.
            ForgetObjectsOfLastFrozen();
            _lastFrozen = kept;
        }
    }

    /// <summary>Encodes a log into the arena; holds <see cref="_encoding"/>. False (and recorded) when it fails.</summary>
    private bool TryEncode(IReadOnlyList<ExecutionEvent> events, out ReadOnlyMemory<byte> frozen)
    {
        try
        {
            frozen = _encoder.EncodeInto(events, _arena);
            return true;
        }
#pragma warning disable CA1031 // Any failure keeps the log as objects, which read correctly; it is recorded, not lost.
        catch (Exception error)
#pragma warning restore CA1031
        {
            RecordFailure(error);
            frozen = default;
            return false;
        }
    }

    private void RecordFailure(Exception error)
    {
        Volatile.Write(ref _lastFreezeError, error);
        Interlocked.Increment(ref _freezeFailures);
    }

    private readonly record struct FreezeJob(int Number, List<ExecutionEvent> Events);
}
