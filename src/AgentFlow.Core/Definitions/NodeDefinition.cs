using System.Collections.Immutable;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;

namespace AgentFlow.Core.Definitions;

/// <summary>One node of a workflow graph. Immutable; shared by every execution of the definition.</summary>
public sealed record NodeDefinition
{
    /// <summary>Unique within its graph; referenced as <c>nodes.ID</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The node kind, which selects the executor (e.g. <c>http</c>, <c>transform</c>, <c>map</c>).</summary>
    public required string Kind { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The node's parameters (<c>with:</c>), resolved against the execution scope just before it runs.</summary>
    public ValueTemplate Parameters { get; init; } = ValueTemplate.EmptyObject;

    public JoinMode Join { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>Limit on one attempt; null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    public ErrorStrategy OnError { get; init; }

    /// <summary>The output used when <see cref="OnError"/> is <see cref="ErrorStrategy.Fallback"/>.</summary>
    public ValueTemplate? Fallback { get; init; }

    /// <summary>Condition and switch nodes: the cases in order; the default branch (if any) has no condition.</summary>
    public ImmutableArray<BranchDefinition> Branches { get; init; } = [];

    /// <summary>
    /// When true, the executor chooses the branch: the string property <c>branch</c> of its output becomes the
    /// node's branch (null when absent), so only edges of that branch are taken. For nodes whose choice needs more
    /// than an expression (e.g. FlowGram condition nodes with typed operators).
    /// </summary>
    public bool BranchFromOutput { get; init; }

    /// <summary>Map nodes: the array to iterate.</summary>
    public ValueTemplate? Items { get; init; }

    /// <summary>Map nodes: how many items run at once (1 = sequential).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Map nodes: the graph run per item; sub-workflow nodes: an inline child workflow.</summary>
    public WorkflowDefinition? Body { get; init; }

    /// <summary>Sub-workflow nodes: the id of the child workflow (see <see cref="WorkflowDefinition.Workflows"/>).</summary>
    public string? WorkflowRef { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.Unknown;
}
