using AgentFlow.Core.Execution;

namespace AgentFlow.Core.Persistence;

/// <summary>Filters for <see cref="IExecutionIndex.QueryExecutionsAsync"/>; every filter given must match.</summary>
/// <param name="Statuses">Any of these statuses; null or empty for all.</param>
/// <param name="WorkflowId">Only this workflow.</param>
/// <param name="CreatedFrom">Created at or after (inclusive).</param>
/// <param name="CreatedBefore">Created strictly before (exclusive), so adjacent ranges do not overlap.</param>
/// <param name="Labels">Every pair must be present with exactly this value.</param>
/// <param name="ParentExecutionId">Only children of this execution.</param>
/// <param name="PageSize">At most this many rows (1 to 1000).</param>
/// <param name="PageToken">The <see cref="ExecutionPage.NextPageToken"/> of the previous page; null for the first.</param>
public sealed record ExecutionQuery(
    IReadOnlyCollection<ExecutionStatus>? Statuses = null,
    string? WorkflowId = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedBefore = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? ParentExecutionId = null,
    int PageSize = 50,
    string? PageToken = null)
{
    /// <summary>The largest page a store returns.</summary>
    public const int MaxPageSize = 1000;
}
