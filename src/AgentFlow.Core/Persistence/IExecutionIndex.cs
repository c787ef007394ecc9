namespace AgentFlow.Core.Persistence;

/// <summary>A queryable row per execution, derived from its log.</summary>
/// <remarks>
/// Guarantees: the row of an execution is created by its first append and updated inside the same atomic write as
/// every later append, so a reader never sees an index row ahead of or behind the log it has read
/// (<see cref="ExecutionRecord.LastSequence"/> is the log's last sequence). The status, times and workflow come from
/// the events (see <see cref="ExecutionIndexProjection"/>); only labels are written separately. Queries return
/// newest first (created time, then execution id, both descending) and page with an opaque token that stays valid
/// while rows are added: a page never repeats or skips a row that existed when the first page was read.
/// </remarks>
public interface IExecutionIndex
{
    /// <summary>The index row of an execution; null when it has no log.</summary>
    ValueTask<ExecutionRecord?> GetExecutionAsync(string executionId, CancellationToken cancellationToken);

    /// <summary>One page of executions matching <paramref name="query"/>, newest first.</summary>
    /// <exception cref="ArgumentException">The page token is malformed or the page size is not positive.</exception>
    ValueTask<ExecutionPage> QueryExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken);

    /// <summary>Sets labels on an existing execution: keys given are added or overwritten, others kept.</summary>
    /// <returns>False when the execution has no log yet.</returns>
    ValueTask<bool> SetLabelsAsync(string executionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);
}
