using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Core.Persistence;

/// <summary>
/// Folds appended events into an execution's index row. Pure, and shared by every store so the index means the
/// same everywhere (and could be rebuilt from the logs).
/// </summary>
public static class ExecutionIndexProjection
{
    /// <summary>The row after appending <paramref name="batch"/> to a log whose row is <paramref name="current"/> (null for a new log).</summary>
    public static ExecutionRecord Apply(ExecutionRecord? current, IReadOnlyList<ExecutionEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return current ?? throw new ArgumentException("An empty batch cannot start a log.", nameof(batch));
        }

        var row = current ?? new ExecutionRecord(batch[0].ExecutionId, string.Empty, 0, ExecutionStatus.Running, batch[0].Timestamp, batch[0].Timestamp, null, null, System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty, 0);
        foreach (var e in batch)
        {
            row = e switch
            {
                ExecutionStarted s => row with { WorkflowId = s.WorkflowId, WorkflowVersion = s.WorkflowVersion, ParentExecutionId = s.ParentExecutionId, Status = ExecutionStatus.Running },
                ExecutionCompleted => Finish(row, ExecutionStatus.Succeeded, e.Timestamp),
                ExecutionFailed => Finish(row, ExecutionStatus.Failed, e.Timestamp),
                ExecutionCancelled => Finish(row, ExecutionStatus.Cancelled, e.Timestamp),

                // A cancel request after the end changes nothing: the execution is already final.
                ExecutionCancelRequested when !row.IsTerminal => row with { Status = ExecutionStatus.Cancelling },
                ExecutionPaused when row.Status == ExecutionStatus.Running => row with { Status = ExecutionStatus.Paused },
                ExecutionResumed when row.Status == ExecutionStatus.Paused => row with { Status = ExecutionStatus.Running },
                ExecutionRetried when row.Status == ExecutionStatus.Failed => row with { Status = ExecutionStatus.Running, FinishedAt = null },
                _ => row,
            };
            row = row with { UpdatedAt = e.Timestamp, LastSequence = e.Sequence };
        }

        return row;
    }

    private static ExecutionRecord Finish(ExecutionRecord row, ExecutionStatus status, DateTimeOffset at) =>
        row with { Status = status, FinishedAt = at };
}
