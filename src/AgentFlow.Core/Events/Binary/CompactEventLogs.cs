using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// In-memory event logs keyed by execution id that keep a finished execution in O(1) objects: once an append ends a
/// log (<see cref="ExecutionCompleted"/>, <see cref="ExecutionFailed"/>, <see cref="ExecutionCancelled"/>), the log is
/// encoded with <see cref="EventLogEncoder"/> into shared byte chunks and its event objects are dropped. Not
/// thread-safe: the store that owns it calls every member under its lock, and decodes what <see cref="Read"/> returns
/// after leaving it.
/// </summary>
/// <remarks>
/// A finished log costs its encoded bytes, its id and a dictionary slot, instead of thousands of small objects the
/// garbage collector would copy from generation to generation for the store's lifetime. Built with the owner's lock
/// (<see cref="CompactEventLogs(Lock)"/>), the encoding happens off the appending thread: the ending append queues the
/// log, a drain task started on demand encodes queued logs in batches and swaps their bytes in under that lock, and
/// until then the log is read from its objects. Past <see cref="MaxBacklog"/> queued logs an ending append encodes its
/// log itself, so a saturated process cannot queue without bound. The log frozen last keeps its objects too, until the
/// next freeze: a run's result is usually read right after it ends, and that read then decodes nothing. An append to a
/// finished or queued log (a retry) thaws it back to a list of its own; bytes already written for it stay in the chunks
/// as dead space (<see cref="DeadBytes"/>) until the store is dropped.
/// </remarks>
public sealed partial class CompactEventLogs
{
    /// <summary>How many ended logs may wait for the background freezer before appends encode their log themselves.</summary>
    public const int MaxBacklog = 4096;

    private readonly LogTable _logs = new();

    // The number of the log frozen last, whose objects are kept until the next freeze; -1 for none.
    private int _lastFrozen = -1;

    /// <summary>Creates empty logs that encode a log on the append that ends it.</summary>
    public CompactEventLogs()
        : this(null, 0, 0)
    {
    }

    /// <summary>
    /// Creates empty logs that encode ended logs on a background task, which takes <paramref name="ownerLock"/> (the
    /// lock the owner holds around every call) to pick logs up and to swap their bytes in.
    /// </summary>
    public CompactEventLogs(Lock ownerLock)
        : this(ownerLock ?? throw new ArgumentNullException(nameof(ownerLock)), MaxBacklog, StartThreshold)
    {
    }

    // Tests pass a small backlog bound, to cross it, and start the freezer at once, so it runs while they append.
    internal CompactEventLogs(Lock? ownerLock, int maxBacklog, int startThreshold = 1)
    {
        _owner = ownerLock;
        _maxBacklog = maxBacklog;
        _startThreshold = startThreshold;
        _encoder = new EventLogEncoder(_constants);
    }

    /// <summary>How many definition constants the encoded logs refer to (see <see cref="ConstantPool"/>).</summary>
    public int ConstantCount => _constants.Count;

    /// <summary>Bytes written for logs that were thawed (retried) since: left in place, never reused.</summary>
    public long DeadBytes { get; private set; }

    /// <summary>How many events the log of <paramref name="executionId"/> holds; false when there is no such log.</summary>
    public bool TryGetCount(string executionId, out long count)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ref var log = ref _logs.Find(executionId);
        if (!Unsafe.IsNullRef(ref log))
        {
            count = log.Count;
            return true;
        }

        count = 0;
        return false;
    }

    /// <summary>
    /// Appends <paramref name="events"/> (already checked by the caller: this log's next sequences, this execution id)
    /// to the log of <paramref name="executionId"/>, creating it when new; an empty batch creates an empty log.
    /// </summary>
    public void Append(string executionId, IReadOnlyList<ExecutionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(events);
        ref var log = ref _logs.Find(executionId, out var probe);
        var known = !Unsafe.IsNullRef(ref log);
        AppendTo(ref known ? ref log : ref _logs.Add(executionId, probe), executionId, known, events);
    }

    /// <summary>
    /// Appends <paramref name="events"/> (already checked by the caller: sequences from
    /// <paramref name="expectedSequence"/> + 1 on, this execution id) when the log of <paramref name="executionId"/>
    /// holds exactly <paramref name="expectedSequence"/> events, creating it when new; one dictionary lookup in all.
    /// </summary>
    /// <exception cref="EventStoreConcurrencyException">The log holds another number of events; nothing changed.</exception>
    public void Append(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(events);
        ref var log = ref _logs.Find(executionId, out var probe);
        var known = !Unsafe.IsNullRef(ref log);
        var actual = known ? log.Count : 0;
        if (actual != expectedSequence)
        {
            // A refused append to an unknown log leaves none behind: the entry is only added past this check.
            throw new EventStoreConcurrencyException(executionId, expectedSequence, actual);
        }

        AppendTo(ref known ? ref log : ref _logs.Add(executionId, probe), executionId, known, events);
    }

    /// <summary>
    /// The events of <paramref name="executionId"/> from <paramref name="fromSequence"/> on, as a copy or as encoded
    /// bytes to decode with <see cref="EventLogRead.Events"/> once the caller's lock is released.
    /// </summary>
    public EventLogRead Read(string executionId, long fromSequence)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ref var log = ref _logs.Find(executionId);
        return Unsafe.IsNullRef(ref log) ? new EventLogRead([]) : ReadEntry(log, executionId, fromSequence);
    }

    private EventLogRead ReadEntry(in Entry log, string executionId, long fromSequence)
    {
        if (log.Live is not null)
        {
            var start = (int)Math.Clamp(fromSequence - 1, 0, log.Live.Count);
            return new EventLogRead(log.Live.GetRange(start, log.Live.Count - start));
        }

        return new EventLogRead(log.Frozen, executionId, fromSequence, _constants);
    }

    /// <summary>
    /// Every log from its first event, in the order the logs were created, to decode with
    /// <see cref="EventLogRead.Events"/> once the caller's lock is released.
    /// </summary>
    public List<(string ExecutionId, EventLogRead Log)> ReadAll()
    {
        var all = new List<(string ExecutionId, EventLogRead Log)>(_logs.Count);
        for (var i = 0; i < _logs.Count; i++)
        {
            ref var log = ref _logs.At(i);
            var id = _logs.IdOf(log);
            all.Add((id, ReadEntry(log, id, 0)));
        }

        return all;
    }

    private void AppendTo(ref Entry log, string executionId, bool known, IReadOnlyList<ExecutionEvent> events)
    {
        var terminal = events.Count > 0 && events[^1] is ExecutionCompleted or ExecutionFailed or ExecutionCancelled;
        if (!known)
        {
            // Most child executions arrive whole in one batch: freeze straight from it, no list in between.
            if (terminal && !QueueForFreezer && TryFreeze(ref log, events))
            {
                // The batch is the caller's list, not ours to keep.
                ForgetObjectsOfLastFrozen();
                return;
            }

            log.Live = new List<ExecutionEvent>(Math.Max(events.Count, 8));
        }

        if (events.Count == 0)
        {
            return;
        }

        if (log.Frozen.Length > 0)
        {
            Thaw(ref log, executionId);
        }
        else if (log.Queued)
        {
            // The freezer may be reading the queued list: continue in a copy, and the freezer drops the stale one.
            log.Live = new List<ExecutionEvent>(log.Live!);
            log.Queued = false;
        }

        var live = log.Live!;
        switch (events)
        {
            case List<ExecutionEvent> list:
                live.AddRange(list);
                break;
            case ExecutionEvent[] array:
                live.AddRange(array);
                break;
            default:
                for (var i = 0; i < events.Count; i++)
                {
                    live.Add(events[i]);
                }

                break;
        }

        log.Count = live.Count;
        if (!terminal)
        {
            return;
        }

        if (QueueForFreezer)
        {
            Enqueue(ref log);
        }
        else if (TryFreeze(ref log, live))
        {
            ForgetObjectsOfLastFrozen();
            _lastFrozen = log.Number;
        }
    }

    private bool TryFreeze(ref Entry log, IReadOnlyList<ExecutionEvent> events)
    {
        ReadOnlyMemory<byte> frozen;
        if (_owner is null)
        {
            // No freezer thread: the owner's lock alone keeps the encoder single-writer.
            if (!TryEncode(events, out frozen))
            {
                return false;
            }
        }
        else
        {
            lock (_encoding)
            {
                if (!TryEncode(events, out frozen))
                {
                    return false;
                }
            }
        }

        log.Frozen = frozen;
        log.Count = events.Count;
        return true;
    }

    private void ForgetObjectsOfLastFrozen()
    {
        if (_lastFrozen >= 0)
        {
            ref var previous = ref _logs.At(_lastFrozen);
            if (previous.Frozen.Length > 0)
            {
                previous.Live = null;
            }

            _lastFrozen = -1;
        }
    }

    private void Thaw(ref Entry log, string executionId)
    {
        if (log.Live is null)
        {
            var events = EventLogDecoder.Decode(log.Frozen.Span, executionId, 0, _constants);
            log.Live = new List<ExecutionEvent>(events.Length + 4);
            log.Live.AddRange(events);
        }

        DeadBytes += log.Frozen.Length;
        log.Frozen = default;
        if (log.Number == _lastFrozen)
        {
            _lastFrozen = -1;
        }
    }
}
