using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.InMemory;

/// <summary>
/// The whole store contract in memory, for ephemeral runs and tests. Thread-safe: one lock guards all state, which
/// makes every operation trivially atomic; nothing survives the process. Its notifications are its own writes.
/// A finished execution's log is kept encoded, in O(1) objects (<see cref="CompactEventLogs"/>); reads of it decode.
/// </summary>
public sealed partial class InMemoryWorkflowStore : IWorkflowStore, IStoreNotifications
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly CompactEventLogs _logs;
    private readonly Dictionary<string, ExecutionRecord> _index = new(StringComparer.Ordinal);

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for lease expiry, due timers and saved-at times; the system clock when null.</param>
    public InMemoryWorkflowStore(TimeProvider? timeProvider = null)
        : this(timeProvider, freezeInBackground: false)
    {
    }

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for lease expiry, due timers and saved-at times; the system clock when null.</param>
    /// <param name="freezeInBackground">
    /// Encode ended logs on a background task instead of under the store's lock on the appending thread (see
    /// <see cref="CompactEventLogs"/>).
    /// </param>
    public InMemoryWorkflowStore(TimeProvider? timeProvider, bool freezeInBackground)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logs = freezeInBackground ? new CompactEventLogs(_gate) : new CompactEventLogs();
        _notifier = new StoreNotifier(_time);
    }

    private readonly StoreNotifier _notifier;

    /// <summary>Completes once every log ended so far is encoded (the freezer runs in the background).</summary>
    internal Task WhenFrozenAsync(CancellationToken cancellationToken) => _logs.WhenFrozenAsync(cancellationToken);

    /// <summary>How many logs failed to encode (they stay as objects); see <see cref="CompactEventLogs.FreezeFailures"/>.</summary>
    internal long FreezeFailures => _logs.FreezeFailures;

    /// <inheritdoc />
    public ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken) => _notifier.WaitAsync(channel, timeout, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyCollection<string>? TakeAnnounced(StoreChannel channel) => _notifier.TakeAnnounced(channel);

    /// <inheritdoc />
    public ValueTask<IDisposable> SubscribeAsync(StoreChannel channel, Action<StoreAnnouncement> onAnnounced, CancellationToken cancellationToken) =>
        new(_notifier.Subscribe(channel, onAnnounced));

    /// <inheritdoc />
    public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateAppend(executionId, expectedSequence, events);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            AppendLocked(executionId, expectedSequence, events);
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
        List<ExecutionRecord> snapshot;
        lock (_gate)
        {
            snapshot = [.. _index.Values.OrderBy(r => r.CreatedAt.UtcTicks).ThenBy(r => r.ExecutionId, StringComparer.Ordinal)];
        }

        foreach (var row in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ExecutionSummary(row.ExecutionId, row.WorkflowId, ExecutionStatusNames.Format(row.Status), row.CreatedAt, row.FinishedAt, row.ParentExecutionId, row.LastSequence);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<ExecutionRecord?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_index.GetValueOrDefault(executionId));
        }
    }

    /// <inheritdoc />
    public ValueTask<ExecutionPage> QueryExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var after = StoreArguments.ValidateQuery(query);
        List<ExecutionRecord> rows;
        lock (_gate)
        {
            rows = [.. _index.Values.Where(r => Matches(r, query, after))];
        }

        rows.Sort(static (a, b) => b.CreatedAt.UtcTicks != a.CreatedAt.UtcTicks
            ? b.CreatedAt.UtcTicks.CompareTo(a.CreatedAt.UtcTicks)
            : string.CompareOrdinal(b.ExecutionId, a.ExecutionId));
        var page = rows.Take(query.PageSize).ToList();
        var next = rows.Count > query.PageSize ? PageToken.Encode(page[^1].CreatedAt, page[^1].ExecutionId) : null;
        return new(new ExecutionPage(page, next));
    }

    /// <inheritdoc />
    public ValueTask<bool> SetLabelsAsync(string executionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        lock (_gate)
        {
            if (!_index.TryGetValue(executionId, out var row))
            {
                return new(false);
            }

            var merged = new Dictionary<string, string>(row.Labels, StringComparer.Ordinal);
            foreach (var (key, value) in labels)
            {
                merged[key] = value;
            }

            _index[executionId] = row with { Labels = merged };
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void AppendLocked(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events)
    {
        var known = _logs.TryGetCount(executionId, out var actual);
        if (actual != expectedSequence)
        {
            throw new EventStoreConcurrencyException(executionId, expectedSequence, actual);
        }

        var previous = _index.GetValueOrDefault(executionId);
        var row = ExecutionIndexProjection.Apply(previous, events);
        CheckStartableLocked(previous, row);
        _logs.Append(executionId, events);
        _index[executionId] = row;
        if (!known && !row.IsTerminal)
        {
            _notifier.Notify(StoreChannel.Runnable, executionId);
        }

        _notifier.Notify(StoreChannel.Appended, executionId, row.WorkflowId);
    }

    private static bool Matches(ExecutionRecord row, ExecutionQuery query, (long CreatedTicks, string ExecutionId)? after)
    {
        var created = row.CreatedAt.UtcTicks;
        return (query.Statuses is not { Count: > 0 } statuses || statuses.Contains(row.Status))
            && (query.WorkflowId is null || string.Equals(row.WorkflowId, query.WorkflowId, StringComparison.Ordinal))
            && (query.CreatedFrom is not { } from || created >= from.UtcTicks)
            && (query.CreatedBefore is not { } before || created < before.UtcTicks)
            && (query.ParentExecutionId is null || string.Equals(row.ParentExecutionId, query.ParentExecutionId, StringComparison.Ordinal))
            && (query.Labels is null || query.Labels.All(l => row.Labels.TryGetValue(l.Key, out var v) && string.Equals(v, l.Value, StringComparison.Ordinal)))
            && (after is not { } a || created < a.CreatedTicks || (created == a.CreatedTicks && string.CompareOrdinal(row.ExecutionId, a.ExecutionId) < 0));
    }
}
