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

    /// <summary>
    /// Runs the execution on the calling thread until it first waits (for I/O, a timer, a signal, a slot) or has
    /// appended a few thousand events, instead of handing it to the thread pool at once. A workflow of local nodes has
    /// then finished when the start returns: no thread hop to begin and none to report completion. For callers that
    /// can lend their thread (the FlowGram task API); the recorded events are the same either way.
    /// </summary>
    public bool RunInline { get; init; }
}
