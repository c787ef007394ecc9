using AgentFlow.Core.Execution;

namespace AgentFlow.Core.Persistence;

/// <summary>The index row of an execution.</summary>
/// <param name="WorkflowId">From <see cref="Events.ExecutionStarted"/>; empty when the log did not start with it.</param>
/// <param name="CreatedAt">The timestamp of the log's first event.</param>
/// <param name="UpdatedAt">The timestamp of the log's last event.</param>
/// <param name="FinishedAt">The timestamp of the terminal event; null while not terminal.</param>
/// <param name="Labels">Caller-set key/value pairs (ordinal keys).</param>
/// <param name="LastSequence">The sequence of the log's last event.</param>
public sealed record ExecutionRecord(
    string ExecutionId,
    string WorkflowId,
    int WorkflowVersion,
    ExecutionStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? ParentExecutionId,
    IReadOnlyDictionary<string, string> Labels,
    long LastSequence)
{
    /// <summary>Whether the execution has ended (succeeded, failed or cancelled).</summary>
    public bool IsTerminal => ExecutionStatusNames.IsTerminal(Status);
}
