namespace AgentFlow.Core.Persistence;

/// <summary>The inbox of signals (human input, external events) sent to executions.</summary>
/// <remarks>
/// Guarantees: a signal is accepted whether or not the execution is waiting for it yet (or even exists), and kept
/// until marked delivered, so it is never lost; pending signals are read in the order they were accepted; marking a
/// signal delivered succeeds for exactly one caller, so it is delivered once. A signal sent again with the same
/// non-null dedup id for the same execution is not stored twice (even after delivery): the original is returned.
/// </remarks>
public interface ISignalStore
{
    /// <summary>Accepts a signal.</summary>
    /// <param name="payloadJson">Any JSON value.</param>
    /// <param name="deduplicationId">An id the sender chooses to make retries safe; null to accept every send.</param>
    /// <exception cref="ArgumentException">The name is empty or the payload is not valid JSON.</exception>
    ValueTask<SignalSendResult> SendSignalAsync(string executionId, string name, string payloadJson, string? deduplicationId, CancellationToken cancellationToken);

    /// <summary>The signals of an execution not yet delivered, oldest first.</summary>
    ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken);

    /// <summary>
    /// The signals not yet delivered of any of <paramref name="executionIds"/>, in acceptance order: one read for a
    /// worker's whole set of executions (its safety poll), instead of one per execution.
    /// </summary>
    ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsOfAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken);

    /// <summary>Marks a signal delivered.</summary>
    /// <returns>True for the one caller that delivered it; false when it was already delivered or is unknown.</returns>
    ValueTask<bool> MarkSignalDeliveredAsync(string executionId, long signalId, CancellationToken cancellationToken);
}
