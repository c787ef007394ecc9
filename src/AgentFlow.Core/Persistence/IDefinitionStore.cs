namespace AgentFlow.Core.Persistence;

/// <summary>Keeps the source text of workflow definitions, versioned per workflow id.</summary>
/// <remarks>
/// Guarantees: versions of a workflow id start at 1 and increase by 1 with no gaps, except that after a delete the
/// next save continues after the last deleted version, so a (workflow id, version) pair never names two texts; a
/// stored version never changes;
/// saving text whose SHA-256 hash (and format) equal the workflow's <em>latest</em> version returns that version unchanged (so a
/// retried deploy is idempotent), while text equal to an older version creates a new version (so a rollback becomes
/// the latest); two concurrent saves of different text get different versions.
/// </remarks>
public interface IDefinitionStore
{
    /// <summary>Saves a definition's source, or finds the identical latest version.</summary>
    /// <exception cref="ArgumentException">The workflow id is empty or the format is not one of <see cref="DefinitionFormats"/>.</exception>
    ValueTask<DefinitionSaveResult> SaveDefinitionAsync(string workflowId, string format, string source, CancellationToken cancellationToken);

    /// <summary>The latest version of a workflow; null when the workflow id is unknown.</summary>
    ValueTask<StoredDefinition?> GetLatestDefinitionAsync(string workflowId, CancellationToken cancellationToken);

    /// <summary>One version of a workflow; null when unknown.</summary>
    ValueTask<StoredDefinition?> GetDefinitionAsync(string workflowId, int version, CancellationToken cancellationToken);

    /// <summary>
    /// Removes every version of a workflow, unless an unfinished execution (running, cancelling or paused) of it still
    /// needs one to resume. Logs of executions that ran it are kept. A later save of that id continues numbering after
    /// the last deleted version.
    /// </summary>
    /// <remarks>
    /// Atomic with respect to starts, also between processes sharing the store: an append that starts an execution of
    /// a deleted version, or re-opens a finished one (see <see cref="DefinitionDeletion.NeedsDefinition"/>), throws
    /// <see cref="WorkflowDeletedException"/> and stores nothing, and a start whose first append committed first makes
    /// the delete return <see cref="DefinitionDeleteOutcome.InUse"/>. So once this returns
    /// <see cref="DefinitionDeleteOutcome.Deleted"/>, no execution of a deleted version is unfinished, and none can
    /// begin or resume.
    /// </remarks>
    /// <exception cref="ArgumentException">The workflow id is empty.</exception>
    ValueTask<DefinitionDeleteResult> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken);

    /// <summary>The latest version of every workflow, ordered by workflow id (ordinal).</summary>
    IAsyncEnumerable<StoredDefinition> ListDefinitionsAsync(CancellationToken cancellationToken);
}
