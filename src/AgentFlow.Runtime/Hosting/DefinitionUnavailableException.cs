namespace AgentFlow.Runtime.Hosting;

/// <summary>An execution cannot be resumed because its definition is not stored or no longer loads.</summary>
public sealed class DefinitionUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DefinitionUnavailableException(string executionId, string message)
        : base($"Execution '{executionId}': {message}") => ExecutionId = executionId;

    /// <summary>The execution.</summary>
    public string ExecutionId { get; }
}
