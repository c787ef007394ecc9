using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Testing;

/// <summary>
/// Passes every call to a real store; a test overrides the one call it slows down (a stalled definition load, a
/// heartbeat that does not get through, a read to wait for), never the answers.
/// </summary>
public class DelegatingWorkflowStore(IWorkflowStore inner) : IWorkflowStore, IStoreNotifications
{
    public IWorkflowStore Inner => inner;

    public virtual ValueTask<StoredDefinition?> GetDefinitionAsync(string workflowId, int version, CancellationToken cancellationToken) => inner.GetDefinitionAsync(workflowId, version, cancellationToken);

    public virtual ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken) => inner.ReadPendingSignalsAsync(executionId, cancellationToken);

    public ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken) =>
        ((IStoreNotifications)inner).WaitAsync(channel, timeout, cancellationToken);

    public IReadOnlyCollection<string>? TakeAnnounced(StoreChannel channel) => ((IStoreNotifications)inner).TakeAnnounced(channel);

    public ValueTask<IDisposable> SubscribeAsync(StoreChannel channel, Action<StoreAnnouncement> onAnnounced, CancellationToken cancellationToken) =>
        ((IStoreNotifications)inner).SubscribeAsync(channel, onAnnounced, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ExecutionLease>> RenewLeasesAsync(IReadOnlyCollection<string> executionIds, string ownerId, TimeSpan duration, CancellationToken cancellationToken) => inner.RenewLeasesAsync(executionIds, ownerId, duration, cancellationToken);

    public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken) => inner.AppendAsync(executionId, expectedSequence, events, cancellationToken);

    public ValueTask AppendLeasedAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, string leaseExecutionId, string ownerId, CancellationToken cancellationToken) => inner.AppendLeasedAsync(executionId, expectedSequence, events, leaseExecutionId, ownerId, cancellationToken);

    public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken) => inner.ReadAsync(executionId, fromSequence, cancellationToken);

    public IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync(CancellationToken cancellationToken) => inner.ListExecutionsAsync(cancellationToken);

    public IAsyncEnumerable<StoredDefinition> ListDefinitionsAsync(CancellationToken cancellationToken) => inner.ListDefinitionsAsync(cancellationToken);

    public ValueTask<DefinitionDeleteResult> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken) => inner.DeleteDefinitionAsync(workflowId, cancellationToken);

    public ValueTask ScheduleTimerAsync(DurableTimer timer, CancellationToken cancellationToken) => inner.ScheduleTimerAsync(timer, cancellationToken);

    public ValueTask<DefinitionSaveResult> SaveDefinitionAsync(string workflowId, string format, string source, CancellationToken cancellationToken) => inner.SaveDefinitionAsync(workflowId, format, source, cancellationToken);

    public ValueTask<ExecutionLease?> RenewLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken) => inner.RenewLeaseAsync(executionId, ownerId, duration, cancellationToken);

    public ValueTask<ExecutionLease?> TryAcquireLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(executionId, ownerId, duration, cancellationToken);

    public ValueTask<ExecutionPage> QueryExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken) => inner.QueryExecutionsAsync(query, cancellationToken);

    public ValueTask<ExecutionRecord?> GetExecutionAsync(string executionId, CancellationToken cancellationToken) => inner.GetExecutionAsync(executionId, cancellationToken);

    public ValueTask<IReadOnlyList<DurableTimer>> ClaimDueTimersAsync(string ownerId, int maxCount, TimeSpan claimFor, CancellationToken cancellationToken) => inner.ClaimDueTimersAsync(ownerId, maxCount, claimFor, cancellationToken);

    public ValueTask<IReadOnlyList<ExecutionLease>> ClaimRunnableExecutionsAsync(string ownerId, int maxCount, TimeSpan duration, CancellationToken cancellationToken) => inner.ClaimRunnableExecutionsAsync(ownerId, maxCount, duration, cancellationToken);

    public ValueTask<SignalSendResult> SendSignalAsync(string executionId, string name, string payloadJson, string? deduplicationId, CancellationToken cancellationToken) => inner.SendSignalAsync(executionId, name, payloadJson, deduplicationId, cancellationToken);

    public ValueTask<StoredDefinition?> GetLatestDefinitionAsync(string workflowId, CancellationToken cancellationToken) => inner.GetLatestDefinitionAsync(workflowId, cancellationToken);

    public ValueTask<bool> DeleteTimerAsync(string executionId, string timerId, CancellationToken cancellationToken) => inner.DeleteTimerAsync(executionId, timerId, cancellationToken);

    public ValueTask<bool> MarkSignalDeliveredAsync(string executionId, long signalId, CancellationToken cancellationToken) => inner.MarkSignalDeliveredAsync(executionId, signalId, cancellationToken);

    public virtual ValueTask<bool> ReleaseLeaseAsync(string executionId, string ownerId, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(executionId, ownerId, cancellationToken);

    public ValueTask<bool> SetLabelsAsync(string executionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => inner.SetLabelsAsync(executionId, labels, cancellationToken);

    public virtual ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsOfAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken) => inner.ReadPendingSignalsOfAsync(executionIds, cancellationToken);

    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken) => inner.GetNextDueAsync(cancellationToken);

    /// <summary>Leaves the inner store open: whoever opened it closes it.</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
