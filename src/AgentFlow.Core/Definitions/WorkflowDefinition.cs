using System.Collections.Immutable;
using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Core.Definitions;

/// <summary>
/// The immutable intermediate form every front door (DSL, FlowGram, C# builder) produces.
/// Dependencies are normalised into <see cref="Edges"/>, whatever syntax declared them.
/// </summary>
public sealed record WorkflowDefinition
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public int Version { get; init; } = 1;

    public ImmutableArray<WorkflowInput> Inputs { get; init; } = [];

    /// <summary>
    /// When true, inputs that are not declared are kept as given instead of being rejected; front doors whose input
    /// rules differ from ours (FlowGram checks its inputs itself) use it.
    /// </summary>
    public bool AllowUndeclaredInputs { get; init; }

    public ImmutableArray<VariableDefinition> Variables { get; init; } = [];

    public ImmutableArray<NodeDefinition> Nodes { get; init; } = [];

    public ImmutableArray<EdgeDefinition> Edges { get; init; } = [];

    public ImmutableArray<WorkflowOutput> Outputs { get; init; } = [];

    /// <summary>Limit on a whole execution; null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Child workflows declared alongside this one, by id, for sub-workflow nodes.</summary>
    public ImmutableDictionary<string, WorkflowDefinition> Workflows { get; init; } = ImmutableDictionary<string, WorkflowDefinition>.Empty;

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}
