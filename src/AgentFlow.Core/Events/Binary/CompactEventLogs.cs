using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// In-memory event logs keyed by execution id that keep a finished execution in O(1) objects: the append that ends a
/// log (<see cref="ExecutionCompleted"/>, <see cref="ExecutionFailed"/>, <see cref="ExecutionCancelled"/>) encodes it
/// with <see cref="EventLogEncoder"/> into shared byte chunks and drops its event objects. Not thread-safe: the store
/// that owns it calls every member under its lock, and decodes what <see cref="Read"/> returns after leaving it.
/// </summary>
/// <remarks>
/// A finished log costs its encoded bytes, its id and a dictionary slot, instead of thousands of small objects the
/// garbage collector would copy from generation to generation for the store's lifetime. The log frozen last keeps its
/// objects too, until the next freeze: a run's result is usually read right after it ends, and that read then decodes
/// nothing. An append to a finished log (a retry) thaws it back to a list; its bytes stay in the chunks as dead space
/// (<see cref="DeadBytes"/>) until the store is dropped.
/// </remarks>
public sealed class CompactEventLogs
{
    private readonly Dictionary<string, LogEntry> _logs = new(StringComparer.Ordinal);
    private readonly EventArena _arena = new();
    private readonly ConstantPool _constants = new();
    private readonly EventLogEncoder _encoder;
    private string? _lastFrozen;

    /// <summary>Creates empty logs.</summary>
    public CompactEventLogs() => _encoder = new EventLogEncoder(_constants);

    /// <summary>How many definition constants the encoded logs refer to (see <see cref="ConstantPool"/>).</summary>
    public int ConstantCount => _constants.Count;

    /// <summary>Bytes left behind by logs thawed for a retry.</summary>
    public long DeadBytes => _arena.DeadBytes;

    /// <summary>How many events the log of <paramref name="executionId"/> holds; false when there is no such log.</summary>
    public bool TryGetCount(string executionId, out long count)
    {
        if (_logs.TryGetValue(executionId, out var log))
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
        var terminal = events.Count > 0 && events[^1] is ExecutionCompleted or ExecutionFailed or ExecutionCancelled;
        ref var log = ref CollectionsMarshal.GetValueRefOrAddDefault(_logs, executionId, out var known);
        if (!known)
        {
            log.Id = executionId;

            // Most child executions arrive whole in one batch: freeze straight from it, no list in between.
            if (terminal && TryFreeze(ref log, events))
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
            Thaw(ref log);
        }

        var live = log.Live!;
        for (var i = 0; i < events.Count; i++)
        {
            live.Add(events[i]);
        }

        log.Count += events.Count;
        if (terminal && TryFreeze(ref log, live))
        {
            ForgetObjectsOfLastFrozen();
            _lastFrozen = executionId;
        }
    }

    /// <summary>
    /// The events of <paramref name="executionId"/> from <paramref name="fromSequence"/> on, as a copy or as encoded
    /// bytes to decode with <see cref="EventLogRead.Events"/> once the caller's lock is released.
    /// </summary>
    public EventLogRead Read(string executionId, long fromSequence)
    {
        if (!_logs.TryGetValue(executionId, out var log))
        {
            return new EventLogRead([]);
        }

        if (log.Live is not null)
        {
            var start = (int)Math.Clamp(fromSequence - 1, 0, log.Live.Count);
            return new EventLogRead(log.Live.GetRange(start, log.Live.Count - start));
        }

        return new EventLogRead(_arena.Get(log.Frozen), log.Id, fromSequence, _constants);
    }

    private bool TryFreeze(ref LogEntry log, IReadOnlyList<ExecutionEvent> events)
    {
        ReadOnlySpan<byte> encoded;
        try
        {
            encoded = _encoder.Encode(events);
        }
        catch (NotSupportedException)
        {
            // An event type the codec does not know (the Core tests make sure none of ours): keep the objects.
            return false;
        }

        log.Frozen = _arena.Append(encoded);
        log.Count = events.Count;
        return true;
    }

    private void ForgetObjectsOfLastFrozen()
    {
        if (_lastFrozen is not null)
        {
            ref var previous = ref CollectionsMarshal.GetValueRefOrNullRef(_logs, _lastFrozen);
            if (!Unsafe.IsNullRef(ref previous) && previous.Frozen.Length > 0)
            {
                previous.Live = null;
            }

            _lastFrozen = null;
        }
    }

    private void Thaw(ref LogEntry log)
    {
        if (log.Live is null)
        {
            var events = EventLogDecoder.Decode(_arena.Get(log.Frozen).Span, log.Id, 0, _constants);
            log.Live = new List<ExecutionEvent>(events.Length + 4);
            log.Live.AddRange(events);
        }

        _arena.Release(log.Frozen);
        log.Frozen = default;
        if (log.Id == _lastFrozen)
        {
            _lastFrozen = null;
        }
    }

    /// <summary>
    /// One execution's log: live event objects, or a frozen slice of the arena (with its objects still at hand while it
    /// is the last one frozen).
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    private struct LogEntry
    {
        public string Id;
        public List<ExecutionEvent>? Live;
        public ArenaSlice Frozen;
        public long Count;
    }
}
