namespace AgentFlow.Runtime;

/// <summary>Per-start settings.</summary>
public sealed record StartOptions
{
    /// <summary>The execution id to use instead of a generated one.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>Overrides the definition's workflow timeout.</summary>
    public TimeSpan? Timeout { get; init; }
}
