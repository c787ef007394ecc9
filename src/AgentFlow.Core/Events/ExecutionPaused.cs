namespace AgentFlow.Core.Events;

/// <summary>
/// The execution was paused: no new node starts until <see cref="ExecutionResumed"/>; attempts already running finish
/// and are recorded, and timers that come due meanwhile take effect only after the resume.
/// </summary>
/// <param name="Reason">Why, as given by whoever paused it; null when not given.</param>
public sealed record ExecutionPaused(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string? Reason = null)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
