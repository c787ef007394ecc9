using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;

namespace AgentFlow.Runtime.Stores;

/// <summary>Keeps logs in memory: for ephemeral runs and tests. Thread-safe.</summary>
/// <remarks>
/// A finished execution's log is kept encoded, in O(1) objects (<see cref="CompactEventLogs"/>); reads of it decode.
/// </remarks>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock _gate = new();
    private readonly CompactEventLogs _logs;

    /// <summary>Creates an empty store that encodes a log on the append that ends it.</summary>
    public InMemoryEventStore()
        : this(freezeInBackground: false)
    {
    }

    /// <summary>Creates an empty store.</summary>
    /// <param name="freezeInBackground">
    /// Encode ended logs on a background task instead of on the appending thread (see <see cref="CompactEventLogs"/>):
    /// shorter appends, but the queued logs' objects live a little longer, which measured slower on two busy cores.
    /// </param>
    public InMemoryEventStore(bool freezeInBackground) => _logs = freezeInBackground ? new CompactEventLogs(_gate) : new CompactEventLogs();

    /// <summary>Encoded bytes left behind by logs thawed for a retry; they stay until the store is dropped.</summary>
    internal long DeadArenaBytes
    {
        get
        {
            lock (_gate)
            {
                return _logs.DeadBytes;
            }
        }
    }

    /// <summary>How many logs failed to encode (they stay as objects); see <see cref="CompactEventLogs.FreezeFailures"/>.</summary>
    internal long FreezeFailures => _logs.FreezeFailures;

    /// <summary>Completes once every log ended so far is encoded (the freezer runs in the background).</summary>
    internal Task WhenFrozenAsync(CancellationToken cancellationToken) => _logs.WhenFrozenAsync(cancellationToken);

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

        lock (_gate)
        {
            _logs.Append(executionId, expectedSequence, events);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken)
    {
        EventLogRead read;
        lock (_gate)
        {
            read = _logs.Read(executionId, fromSequence);
        }

        return new(read.Events());
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<(string Id, EventLogRead Log)> snapshot;
        lock (_gate)
        {
            snapshot = _logs.ReadAll();
        }

        foreach (var (id, log) in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = Core.Execution.ExecutionState.Replay(log.Events());
            yield return new ExecutionSummary(id, report.WorkflowId, Core.Execution.ExecutionReport.StatusName(report.Status), report.StartedAt ?? default, report.FinishedAt, report.ParentExecutionId, report.LastSequence);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
