using AgentFlow.Core.Definitions;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Expressions;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Which parent nodes a map body can read (<c>nodes.X</c>), so the scope handed to each item holds only those instead
/// of a snapshot of every parent node (and logs written before items inherited their scope recorded only those).
/// </summary>
internal sealed class ScopeReferences
{
    private ScopeReferences(string[]? nodes) => Nodes = nodes;

    /// <summary>
    /// The distinct node ids read, in first-reference order; null when some expression indexes <c>nodes[...]</c>
    /// dynamically, so all are needed. An array: it is walked at every map run.
    /// </summary>
    public string[]? Nodes { get; }

    public static ScopeReferences Of(WorkflowDefinition body)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        return new ScopeReferences(Collect(body, ids) ? [.. ids] : null);
    }

    private static bool Collect(WorkflowDefinition definition, HashSet<string> ids)
    {
        var references = new List<ExpressionReference>();
        foreach (var node in definition.Nodes)
        {
            references.AddRange(node.Parameters.References);
            references.AddRange(node.Fallback?.References ?? []);
            references.AddRange(node.Items?.References ?? []);
            foreach (var branch in node.Branches)
            {
                references.AddRange(branch.When?.References ?? []);
            }

            // A nested map body (or a map-like node's, see IMapNodeExecutor) reads lexically through this body; an
            // inline sub-workflow only sees its inputs.
            if (node.Kind != NodeKinds.Subworkflow && node.Body is not null && !Collect(node.Body, ids))
            {
                return false;
            }
        }

        foreach (var edge in definition.Edges)
        {
            references.AddRange(edge.When?.References ?? []);
        }

        foreach (var output in definition.Outputs)
        {
            references.AddRange(output.Value.References);
        }

        foreach (var reference in references)
        {
            if (reference.Root != "nodes")
            {
                continue;
            }

            if (reference.Member is null)
            {
                return false;
            }

            ids.Add(reference.Member);
        }

        return true;
    }
}
