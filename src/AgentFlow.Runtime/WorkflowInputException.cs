using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Runtime;

/// <summary>The inputs given to start a workflow were rejected; nothing was recorded.</summary>
public sealed class WorkflowInputException : Exception
{
    public WorkflowInputException(string workflowId, IReadOnlyList<Diagnostic> diagnostics)
        : base($"Invalid inputs for workflow '{workflowId}': {string.Join("; ", diagnostics.Select(d => d.Message))}")
    {
        WorkflowId = workflowId;
        Diagnostics = diagnostics;
    }

    public string WorkflowId { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
