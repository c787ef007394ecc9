using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>What a failed attempt leads to: a retry at <see cref="DueAt"/>, or a final failure with an output for continue/fallback.</summary>
public sealed record FailureResolution(ErrorInfo Error, bool WillRetry, int NextAttempt, DateTimeOffset DueAt, Value Output);
