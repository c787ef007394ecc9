using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>An attempt of a node began with its resolved parameters.</summary>
public sealed record NodeStarted(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt, Value Parameters)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>An attempt of a node succeeded.</summary>
/// <param name="Branch">For condition and switch nodes, the chosen branch (null when none matched).</param>
public sealed record NodeSucceeded(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt, Value Output, string? Branch = null)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>An attempt of a node failed.</summary>
/// <param name="WillRetry">Whether a <see cref="NodeRetryScheduled"/> follows.</param>
/// <param name="Output">
/// When the failure is final and the node's error strategy is continue or fallback, the output downstream nodes see
/// (null or the fallback value); otherwise null.
/// </param>
public sealed record NodeFailed(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt, ErrorInfo Error, bool WillRetry, Value Output = default)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>A failed node will be attempted again at <paramref name="DueAt"/>.</summary>
public sealed record NodeRetryScheduled(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int NextAttempt, DateTimeOffset DueAt)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>A node will not run (its branch was not taken, or its predecessors were skipped).</summary>
public sealed record NodeSkipped(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, string Reason)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>A node was cancelled while running or waiting.</summary>
public sealed record NodeCancelled(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, int Attempt)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>A durable timer (a sleep node) was armed.</summary>
public sealed record TimerScheduled(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, DateTimeOffset DueAt)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>A durable timer fired.</summary>
public sealed record TimerFired(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);

/// <summary>Workflow variables were written (by an assign node).</summary>
/// <param name="Values">An object of the variables written.</param>
public sealed record VariablesAssigned(string ExecutionId, long Sequence, DateTimeOffset Timestamp, string NodeId, Value Values)
    : ExecutionEvent(ExecutionId, Sequence, Timestamp);
