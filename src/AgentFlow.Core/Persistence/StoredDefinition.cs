namespace AgentFlow.Core.Persistence;

/// <summary>One saved version of a workflow definition's source.</summary>
/// <param name="WorkflowId">The workflow id the version belongs to.</param>
/// <param name="Version">1-based, per workflow id.</param>
/// <param name="Format">One of <see cref="DefinitionFormats"/>.</param>
/// <param name="Source">The text exactly as saved.</param>
/// <param name="ContentHash">Lowercase hex SHA-256 of the UTF-8 source (see <see cref="DefinitionHash"/>).</param>
/// <param name="CreatedAt">When the version was saved, by the store's clock.</param>
public sealed record StoredDefinition(string WorkflowId, int Version, string Format, string Source, string ContentHash, DateTimeOffset CreatedAt);
