namespace AgentFlow.Core.Persistence;

/// <summary>One page of an execution query.</summary>
/// <param name="Items">Newest first.</param>
/// <param name="NextPageToken">Pass to the next query for the following page; null when this is the last page.</param>
public sealed record ExecutionPage(IReadOnlyList<ExecutionRecord> Items, string? NextPageToken);
