namespace AgentFlow.Core.Persistence;

/// <summary>Keeps the source text of workflow definitions, versioned per workflow id.</summary>
/// <remarks>
/// Guarantees: versions of a workflow id start at 1 and increase by 1 with no gaps; a stored version never changes;
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
    /// Removes every version of a workflow; a later save of that id starts again at version 1. Logs of executions that
    /// ran it are kept. Callers check that no unfinished execution still needs the definition to resume.
    /// </summary>
    /// <returns>False when the workflow id is unknown.</returns>
    ValueTask<bool> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken);

    /// <summary>The latest version of every workflow, ordered by workflow id (ordinal).</summary>
    IAsyncEnumerable<StoredDefinition> ListDefinitionsAsync(CancellationToken cancellationToken);
}
