namespace AgentFlow.Runtime;

/// <summary>Per-start settings.</summary>
public sealed record StartOptions
{
    /// <summary>The execution id to use instead of a generated one.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>Overrides the definition's workflow timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The definition's source text. With a store that keeps definitions (<see cref="Core.Persistence.IDefinitionStore"/>)
    /// it is saved and its stored version recorded in <see cref="Core.Events.ExecutionStarted.WorkflowVersion"/>, so
    /// another process can reload exactly this definition to resume the execution.
    /// </summary>
    public DefinitionSource? Source { get; init; }
}
