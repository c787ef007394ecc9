namespace AgentFlow.Core.Persistence;

/// <summary>Which appends every store checks against deleted workflow versions (see <see cref="IDefinitionStore.DeleteDefinitionAsync"/>).</summary>
public static class DefinitionDeletion
{
    /// <summary>
    /// Whether an append that moves an execution's index row from <paramref name="previous"/> (null for a new log) to
    /// <paramref name="next"/> starts the execution, or re-opens a finished one (a retry): the appends that make it
    /// need its definition again, and so fail for a deleted version. Other appends are never checked, so an execution
    /// that was unfinished when its workflow was deleted could not exist, and a finished one may still log late events.
    /// </summary>
    public static bool NeedsDefinition(ExecutionRecord? previous, ExecutionRecord next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return next.WorkflowId.Length > 0 && (previous is null || (previous.IsTerminal && !next.IsTerminal));
    }
}
