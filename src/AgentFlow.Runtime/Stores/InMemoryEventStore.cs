using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;

namespace AgentFlow.Runtime.Stores;

/// <summary>Keeps logs in memory: for ephemeral runs and tests. Thread-safe.</summary>
/// <remarks>
/// A log whose last event ends its execution (completed, failed, cancelled) is frozen: encoded with
/// <see cref="EventLogEncoder"/> into a shared arena of large byte chunks, its event objects dropped, so a finished
/// execution costs its bytes and its id rather than thousands of small objects the garbage collector would copy from
/// generation to generation. Reads of a frozen log decode it; an append to one (a retry) thaws it back to a list and
/// leaves its bytes as dead space in the arena. The log frozen last keeps its objects too, until the next freeze:
/// the result of a run is usually read right after it ends, and that read then decodes nothing.
/// </remarks>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LogEntry> _logs = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly EventArena _arena = new();
    private readonly EventLogEncoder _encoder = new();
    private string? _lastFrozen;

    /// <summary>Arena bytes left behind by logs thawed for a retry; they stay until the store is dropped.</summary>
    internal long DeadArenaBytes
    {
        get
        {
            lock (_gate)
            {
                return _arena.DeadBytes;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Sequence != expectedSequence + 1 + i || !string.Equals(events[i].ExecutionId, executionId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Event {i} of the batch has sequence {events[i].Sequence} for '{events[i].ExecutionId}'; expected {expectedSequence + 1 + i} for '{executionId}'.", nameof(events));
            }
        }

        var terminal = events.Count > 0 && IsTerminal(events[^1]);
        lock (_gate)
        {
            ref var log = ref CollectionsMarshal.GetValueRefOrNullRef(_logs, executionId);
            if (Unsafe.IsNullRef(ref log))
            {
                if (expectedSequence != 0)
                {
                    throw new EventStoreConcurrencyException(executionId, expectedSequence, 0);
                }

                log = ref CollectionsMarshal.GetValueRefOrAddDefault(_logs, executionId, out _);
                log.Id = executionId;
                _order.Add(executionId);

                // Most child executions arrive whole in one batch: freeze straight from it, no list in between.
                if (terminal && TryFreeze(ref log, events))
                {
                    // The batch is the caller's list, not ours to keep.
                    ForgetObjectsOfLastFrozen();
                    return ValueTask.CompletedTask;
                }

                log.Live = new List<ExecutionEvent>(Math.Max(events.Count, 8));
            }

            if (log.Count != expectedSequence)
            {
                throw new EventStoreConcurrencyException(executionId, expectedSequence, log.Count);
            }

            if (events.Count == 0)
            {
                return ValueTask.CompletedTask;
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

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken)
    {
        string id;
        ReadOnlyMemory<byte> frozen;
        lock (_gate)
        {
            if (!_logs.TryGetValue(executionId, out var log))
            {
                return new([]);
            }

            if (log.Live is not null)
            {
                var start = (int)Math.Clamp(fromSequence - 1, 0, log.Live.Count);
                return new(log.Live.GetRange(start, log.Live.Count - start));
            }

            id = log.Id;
            frozen = _arena.Get(log.Frozen);
        }

        // Arena bytes never change once written: decoding needs no lock.
        return new(EventLogDecoder.Decode(frozen.Span, id, fromSequence));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<(string Id, List<ExecutionEvent>? Live, ReadOnlyMemory<byte> Frozen)> snapshot;
        lock (_gate)
        {
            snapshot = new(_order.Count);
            foreach (var id in _order)
            {
                var log = _logs[id];
                snapshot.Add(log.Live is not null ? (log.Id, [.. log.Live], default) : (log.Id, null, _arena.Get(log.Frozen)));
            }
        }

        foreach (var (id, live, frozen) in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<ExecutionEvent> events = live ?? (IReadOnlyList<ExecutionEvent>)EventLogDecoder.Decode(frozen.Span, id, 0);
            var report = Core.Execution.ExecutionState.Replay(events);
            yield return new ExecutionSummary(id, report.WorkflowId, Core.Execution.ExecutionReport.StatusName(report.Status), report.StartedAt ?? default, report.FinishedAt, report.ParentExecutionId, report.LastSequence);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static bool IsTerminal(ExecutionEvent e) => e is ExecutionCompleted or ExecutionFailed or ExecutionCancelled;

    // Under the lock, when another log is frozen.
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

    // Under the lock. The count is set here for a log frozen straight from its first batch.
    private bool TryFreeze(ref LogEntry log, IReadOnlyList<ExecutionEvent> events)
    {
        ReadOnlySpan<byte> encoded;
        try
        {
            encoded = _encoder.Encode(events);
        }
        catch (NotSupportedException)
        {
            // An event type the codec does not know yet (the Core tests make sure none of ours): keep the objects.
            return false;
        }

        log.Frozen = _arena.Append(encoded);
        log.Count = events.Count;
        return true;
    }

    private void Thaw(ref LogEntry log)
    {
        if (log.Live is null)
        {
            var events = EventLogDecoder.Decode(_arena.Get(log.Frozen).Span, log.Id, 0);
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
