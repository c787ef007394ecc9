using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;

namespace AgentFlow.Runtime.Stores;

/// <summary>Keeps logs in memory: for ephemeral runs and tests. Thread-safe.</summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ExecutionEvent>> _logs = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

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
            if (!_logs.TryGetValue(executionId, out var log))
            {
                if (expectedSequence != 0)
                {
                    throw new EventStoreConcurrencyException(executionId, expectedSequence, 0);
                }

                log = new List<ExecutionEvent>(Math.Max(events.Count, 8));
                _logs.Add(executionId, log);
                _order.Add(executionId);
            }

            if (log.Count != expectedSequence)
            {
                throw new EventStoreConcurrencyException(executionId, expectedSequence, log.Count);
            }

            for (var i = 0; i < events.Count; i++)
            {
                log.Add(events[i]);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue(executionId, out var log))
            {
                return new([]);
            }

            var start = (int)Math.Clamp(fromSequence - 1, 0, log.Count);
            return new(log.GetRange(start, log.Count - start));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<(string Id, List<ExecutionEvent> Log)> snapshot;
        lock (_gate)
        {
            snapshot = [.. _order.Select(id => (id, _logs[id].ToList()))];
        }

        foreach (var (id, log) in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = Core.Execution.ExecutionState.Replay(log);
            yield return new ExecutionSummary(id, report.WorkflowId, Core.Execution.ExecutionReport.StatusName(report.Status), report.StartedAt ?? default, report.FinishedAt, report.ParentExecutionId, report.LastSequence);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
