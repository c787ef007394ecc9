using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly List<(StoredSignal Signal, bool Delivered)> _signals = [];

    /// <inheritdoc />
    public ValueTask<SignalSendResult> SendSignalAsync(string executionId, string name, string payloadJson, string? deduplicationId, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateSignal(executionId, name, payloadJson);
        lock (_gate)
        {
            if (deduplicationId is not null)
            {
                foreach (var (existing, _) in _signals)
                {
                    if (existing.ExecutionId == executionId && existing.DeduplicationId == deduplicationId)
                    {
                        return new(new SignalSendResult(existing, Duplicate: true));
                    }
                }
            }

            var signal = new StoredSignal(_signals.Count + 1, executionId, name, payloadJson, deduplicationId, _time.GetUtcNow());
            _signals.Add((signal, false));
            _notifier.Notify(StoreChannel.Signals, executionId);
            return new(new SignalSendResult(signal, Duplicate: false));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_signals.Where(s => !s.Delivered && s.Signal.ExecutionId == executionId).Select(s => s.Signal).ToList());
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsOfAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        var wanted = executionIds as IReadOnlySet<string> ?? new HashSet<string>(executionIds, StringComparer.Ordinal);
        lock (_gate)
        {
            return new(_signals.Where(s => !s.Delivered && wanted.Contains(s.Signal.ExecutionId)).Select(s => s.Signal).ToList());
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkSignalDeliveredAsync(string executionId, long signalId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Ids are dense from 1, so the id is the position.
            var index = signalId - 1;
            if (index < 0 || index >= _signals.Count || _signals[(int)index].Delivered || _signals[(int)index].Signal.ExecutionId != executionId)
            {
                return new(false);
            }

            _signals[(int)index] = (_signals[(int)index].Signal, true);
            return new(true);
        }
    }
}
