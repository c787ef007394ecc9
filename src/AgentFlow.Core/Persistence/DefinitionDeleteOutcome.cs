namespace AgentFlow.Core.Persistence;

/// <summary>What <see cref="IDefinitionStore.DeleteDefinitionAsync"/> did.</summary>
public enum DefinitionDeleteOutcome
{
    /// <summary>Every version was removed.</summary>
    Deleted = 0,

    /// <summary>The workflow id has no stored version; nothing changed.</summary>
    NotFound,

    /// <summary>An unfinished execution of the workflow still needs a version to resume; nothing changed.</summary>
    InUse,
}
