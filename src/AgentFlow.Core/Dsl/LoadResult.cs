using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Core.Dsl;

/// <summary>The outcome of loading a workflow file: the definition (when it could be built) and every problem found.</summary>
public sealed class LoadResult
{
    internal LoadResult(WorkflowDefinition? definition, IReadOnlyList<Diagnostic> diagnostics)
    {
        Diagnostics = diagnostics;
        Definition = diagnostics.Any(d => d.IsError) ? null : definition;
        PartialDefinition = definition;
    }

    /// <summary>The definition; null when any error was found.</summary>
    public WorkflowDefinition? Definition { get; }

    /// <summary>What could be built even when there were errors (for tooling); null when the document did not parse.</summary>
    public WorkflowDefinition? PartialDefinition { get; }

    /// <summary>Every error and warning, ordered by position.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>True when there is a definition and no error (warnings allowed).</summary>
    public bool Succeeded => Definition is not null;

    /// <summary>Returns the definition or throws with every diagnostic.</summary>
    /// <exception cref="DefinitionException">Loading failed.</exception>
    public WorkflowDefinition GetDefinitionOrThrow() =>
        Definition ?? throw new DefinitionException(Diagnostics.Where(d => d.IsError).ToList());
}
