using System.Text.Json.Serialization;
using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>One node's part of an <see cref="ExecutionReport"/>; nodes that never started are not listed.</summary>
public sealed record NodeReport(
    string NodeId,
    string Status,
    int Attempts,
    Value Parameters,
    Value Output,
    ErrorInfo? Error,
    string? Branch,
    string? SkipReason,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    [property: JsonIgnore] TimeSpan? Duration)
{
    /// <summary>The duration in milliseconds, as JSON carries it.</summary>
    public double? DurationMs => Duration?.TotalMilliseconds;
}
