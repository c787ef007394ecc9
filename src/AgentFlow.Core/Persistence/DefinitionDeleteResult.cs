namespace AgentFlow.Core.Persistence;

/// <summary>The outcome of deleting a workflow's definition.</summary>
/// <param name="Outcome">Deleted, not found, or refused because the workflow is in use.</param>
/// <param name="LastVersion">The highest version removed when deleted; null otherwise.</param>
/// <param name="UnfinishedExecutionId">One unfinished execution of the workflow when in use (for the message); null otherwise.</param>
public sealed record DefinitionDeleteResult(DefinitionDeleteOutcome Outcome, int? LastVersion = null, string? UnfinishedExecutionId = null)
{
    /// <summary>The workflow id had no stored version.</summary>
    public static DefinitionDeleteResult NotFound { get; } = new(DefinitionDeleteOutcome.NotFound);

    /// <summary>Every version up to <paramref name="lastVersion"/> was removed.</summary>
    public static DefinitionDeleteResult Deleted(int lastVersion) => new(DefinitionDeleteOutcome.Deleted, lastVersion);

    /// <summary>Refused: <paramref name="executionId"/> is an unfinished execution of the workflow.</summary>
    public static DefinitionDeleteResult InUse(string executionId) => new(DefinitionDeleteOutcome.InUse, UnfinishedExecutionId: executionId);
}
