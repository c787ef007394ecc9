using System.Collections.Immutable;
using AgentFlow.Core.Definitions;

namespace AgentFlow.Core.Validation;

/// <summary>What expressions in one graph may see.</summary>
/// <param name="Owner">The workflow whose inputs and variables are visible (a map body sees its enclosing workflow's).</param>
/// <param name="OuterAncestors">Nodes of enclosing graphs that have completed before this graph runs (a map node's ancestors).</param>
/// <param name="OuterNodes">Every node of enclosing graphs, to tell "not an ancestor" from "does not exist".</param>
/// <param name="InMap">Whether <c>item</c> and <c>index</c> are in scope.</param>
/// <param name="Chain">The enclosing workflows, innermost first; the last is the top-level definition.</param>
internal sealed record ValidationScope(
    WorkflowDefinition Owner,
    ImmutableHashSet<string> OuterAncestors,
    ImmutableHashSet<string> OuterNodes,
    bool InMap,
    ImmutableList<WorkflowDefinition> Chain)
{
    public static ValidationScope ForWorkflow(WorkflowDefinition workflow, ImmutableList<WorkflowDefinition> chain) =>
        new(workflow, [], [], false, chain.Insert(0, workflow));

    /// <summary>
    /// Finds a child workflow by id. The runtime resolves every sub-workflow reference, at any depth, against the
    /// top-level definition's <c>workflows:</c>, so only those are visible.
    /// </summary>
    public WorkflowDefinition? FindWorkflow(string id) =>
        Chain.IsEmpty ? null : Chain[^1].Workflows.GetValueOrDefault(id);

    public IReadOnlyCollection<string> WorkflowIds => Chain.IsEmpty ? [] : Chain[^1].Workflows.Keys.ToList();
}
