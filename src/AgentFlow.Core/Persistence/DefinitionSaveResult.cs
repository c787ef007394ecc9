namespace AgentFlow.Core.Persistence;

/// <summary>The outcome of saving a definition.</summary>
/// <param name="Definition">The stored version (new or existing).</param>
/// <param name="Created">False when the source was identical to the latest version, which is returned instead.</param>
public sealed record DefinitionSaveResult(StoredDefinition Definition, bool Created);
