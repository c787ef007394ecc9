namespace AgentFlow.Core.Persistence;

/// <summary>
/// The first append of an execution named a workflow version that <see cref="IDefinitionStore.DeleteDefinitionAsync"/>
/// removed (typically: the start read the definition just before a delete committed). Nothing was stored, so the
/// execution does not exist; save the workflow again and start that version.
/// </summary>
public sealed class WorkflowDeletedException : Exception
{
    public WorkflowDeletedException(string executionId, string workflowId, int version)
        : base($"Workflow '{workflowId}' version {version} was deleted; execution '{executionId}' was not started. Save the workflow again and start it.")
    {
        ExecutionId = executionId;
        WorkflowId = workflowId;
        Version = version;
    }

    /// <summary>The execution that was not started.</summary>
    public string ExecutionId { get; }

    /// <summary>The deleted workflow's id.</summary>
    public string WorkflowId { get; }

    /// <summary>The deleted version the start named.</summary>
    public int Version { get; }
}
