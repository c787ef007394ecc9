using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Runtime;

/// <summary>The inputs given to start a workflow were rejected; nothing was recorded.</summary>
public sealed class WorkflowInputException : Exception
{
    /// <summary>Creates the exception with every problem found.</summary>
    public WorkflowInputException(string workflowId, IReadOnlyList<Diagnostic> diagnostics)
        : base($"Invalid inputs for workflow '{workflowId}': {string.Join("; ", diagnostics.Select(d => d.Message))}")
    {
        WorkflowId = workflowId;
        Diagnostics = diagnostics;
    }

    /// <summary>The workflow that was to be started.</summary>
    public string WorkflowId { get; }

    /// <summary>Each problem, naming the input and the expected type.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
