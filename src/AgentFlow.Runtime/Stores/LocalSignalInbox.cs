using AgentFlow.Core.Persistence;

namespace AgentFlow.Runtime.Stores;

/// <summary>
/// The signal inbox a runtime uses when its store keeps only logs: in memory, for the runtime's lifetime. Durable
/// stores (<see cref="IWorkflowStore"/>) bring their own.
/// </summary>
internal sealed class LocalSignalInbox(TimeProvider time) : ISignalStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredSignal> _pending = [];
    private readonly Dictionary<(string, string), StoredSignal> _byDedupId = [];
    private long _nextId;

    public ValueTask<SignalSendResult> SendSignalAsync(string executionId, string name, string payloadJson, string? deduplicationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            if (deduplicationId is not null && _byDedupId.TryGetValue((executionId, deduplicationId), out var original))
            {
                return new(new SignalSendResult(original, Duplicate: true));
            }

            var signal = new StoredSignal(++_nextId, executionId, name, payloadJson, deduplicationId, time.GetUtcNow());
            _pending.Add(signal);
            if (deduplicationId is not null)
            {
                _byDedupId[(executionId, deduplicationId)] = signal;
            }

            return new(new SignalSendResult(signal, Duplicate: false));
        }
    }

    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_pending.Where(s => s.ExecutionId == executionId).ToList());
        }
    }

    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsOfAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_pending.Where(s => executionIds.Contains(s.ExecutionId)).ToList());
        }
    }

    public ValueTask<bool> MarkSignalDeliveredAsync(string executionId, long signalId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_pending.RemoveAll(s => s.ExecutionId == executionId && s.SignalId == signalId) > 0);
        }
    }
}
