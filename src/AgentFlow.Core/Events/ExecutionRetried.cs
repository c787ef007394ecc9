namespace AgentFlow.Core.Events;

/// <summary>
/// A failed execution runs again from where it failed: the nodes named here go back to pending (their next attempt
/// gets a new number, hence a new idempotency key, and a fresh retry budget) and the execution is running again.
/// Every other node keeps its outcome; completed nodes never run again.
/// </summary>
/// <param name="NodeIds">
/// The nodes reopened: those whose failure failed the execution, those cancelled because of it, and those skipped
/// only because a reopened node had ended.
/// </param>
public sealed record ExecutionRetried(string ExecutionId, long Sequence, DateTimeOffset Timestamp, IReadOnlyList<string> NodeIds)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp)
{
    /// <inheritdoc />
    public bool Equals(ExecutionRetried? other) =>
        other is not null && base.Equals(other) && NodeIds.SequenceEqual(other.NodeIds, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), NodeIds.Count);
}
