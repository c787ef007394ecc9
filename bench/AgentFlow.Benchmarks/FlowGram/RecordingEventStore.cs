using AgentFlow.Core.Events;
using AgentFlow.Runtime.Stores;

namespace AgentFlow.Benchmarks.FlowGram;

/// <summary>An in-memory store that also keeps every appended event object, per log, as the runtime made it.</summary>
internal sealed class RecordingEventStore : IEventStore
{
    private readonly InMemoryEventStore _inner = new();
    private readonly Dictionary<string, List<ExecutionEvent>> _logs = new(StringComparer.Ordinal);

    /// <summary>The logs appended so far, each in append order.</summary>
    public IReadOnlyList<IReadOnlyList<ExecutionEvent>> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs.Values.Select(l => (IReadOnlyList<ExecutionEvent>)[.. l])];
            }
        }
    }

    public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken)
    {
        lock (_logs)
        {
            if (!_logs.TryGetValue(executionId, out var log))
            {
                _logs[executionId] = log = [];
            }

            log.AddRange(events);
        }

        return _inner.AppendAsync(executionId, expectedSequence, events, cancellationToken);
    }

    public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken) =>
        _inner.ReadAsync(executionId, fromSequence, cancellationToken);

    public IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync(CancellationToken cancellationToken) => _inner.ListExecutionsAsync(cancellationToken);
}
