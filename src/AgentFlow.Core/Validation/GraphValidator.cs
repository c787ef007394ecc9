using AgentFlow.Core.Diagnostics;
using System.Collections.Immutable;
using AgentFlow.Core.Definitions;

namespace AgentFlow.Core.Validation;

/// <summary>Checks one graph: ids, kinds, edges, cycles, reachability, then every node and output.</summary>
internal sealed class GraphValidator(ValidationContext context, WorkflowDefinition graph, ValidationScope scope)
{
    private readonly Dictionary<string, NodeDefinition> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<EdgeDefinition>> _incoming = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableHashSet<string>> _ancestors = new(StringComparer.Ordinal);

    public void Run()
    {
        CheckNodes();
        var edges = CheckEdges();
        foreach (var edge in edges)
        {
            (_incoming.TryGetValue(edge.To, out var list) ? list : _incoming[edge.To] = []).Add(edge);
        }

        new CycleFinder(context, edges).Report(_nodes.Keys);
        ReportUnreachable();
        var references = new ReferenceChecker(context, scope, _nodes.Keys.ToImmutableHashSet());
        var nodeChecker = new NodeChecker(context, scope, references);
        foreach (var node in graph.Nodes.Where(n => _nodes.GetValueOrDefault(n.Id) == n))
        {
            nodeChecker.Check(node, AncestorsOf(node.Id));
            if (node.Body is { } body && node.Kind == "map")
            {
                var outer = scope with
                {
                    OuterAncestors = scope.OuterAncestors.Union(AncestorsOf(node.Id)),
                    OuterNodes = scope.OuterNodes.Union(_nodes.Keys),
                    InMap = true,
                };
                new GraphValidator(context, body, outer).Run();
            }
            else if (node.Body is { } inline)
            {
                WorkflowValidator.ValidateWorkflow(context, inline, ValidationScope.ForWorkflow(inline, scope.Chain));
            }
        }

        foreach (var edge in edges.Where(e => e.When is not null))
        {
            references.Check(edge.When!.References, ValidationContext.SubPath(edge.Location, ".when"), edge.Location, $"the 'when' of edge {edge.From} -> {edge.To}", AncestorsOf(edge.From).Add(edge.From));
        }

        var everything = scope.OuterAncestors.Union(_nodes.Keys);
        foreach (var output in graph.Outputs)
        {
            references.Check(output.Value.References, output.Location.Path, output.Location, $"output '{output.Name}'", everything);
        }
    }

    private void CheckNodes()
    {
        foreach (var node in graph.Nodes)
        {
            var idLocation = context.Locate(node.Location, ".id");
            if (!WorkflowValidator.IsName(node.Id))
            {
                context.Error(DiagnosticCodes.InvalidId, $"Node id '{node.Id}' is not valid.", idLocation, "use letters, digits and '_', starting with a letter or '_' (ids appear in expressions and in 'needs: node.branch')");
            }

            if (_nodes.TryGetValue(node.Id, out var first))
            {
                var firstAt = first.Location.Line > 0 ? $"line {first.Location.Line}" : first.Location.Path ?? "earlier";
                context.Error(DiagnosticCodes.DuplicateId, $"Node id '{node.Id}' is already used by the node at {firstAt}.", idLocation, "give each node a unique id");
                continue;
            }

            _nodes[node.Id] = node;
            if (node.Kind.Length > 0 && !context.Catalog.TryGet(node.Kind, out _))
            {
                context.Error(DiagnosticCodes.UnknownKind, $"Node '{node.Id}' has unknown kind '{node.Kind}'.", context.Locate(node.Location, ".kind"), Suggestions.Hint(node.Kind, context.Catalog.Names.ToList()));
            }
        }
    }

    private List<EdgeDefinition> CheckEdges()
    {
        var valid = new List<EdgeDefinition>();
        foreach (var edge in graph.Edges)
        {
            var ok = true;
            foreach (var end in new[] { edge.From, edge.To })
            {
                if (!_nodes.ContainsKey(end))
                {
                    ok = false;
                    var where = scope.OuterNodes.Contains(end) ? " (it belongs to an enclosing graph; refer to it in expressions instead)" : string.Empty;
                    context.Error(DiagnosticCodes.UnknownEdgeNode, $"The dependency {Describe(edge)} names unknown node '{end}'{where}.", edge.Location, Suggestions.Hint(end, _nodes.Keys.ToList()));
                }
            }

            if (ok && edge.Branch is not null)
            {
                var from = _nodes[edge.From];
                if (from.Branches.Length == 0)
                {
                    ok = false;
                    context.Error(DiagnosticCodes.UnknownBranch, $"The dependency {Describe(edge)} names branch '{edge.Branch}', but node '{edge.From}' ({from.Kind}) has no branches.", edge.Location, $"write '{edge.From}' without a branch");
                }
                else if (!from.Branches.Any(b => b.Name == edge.Branch))
                {
                    ok = false;
                    var names = from.Branches.Select(b => b.Name).ToList();
                    context.Error(DiagnosticCodes.UnknownBranch, $"Node '{edge.From}' has no branch '{edge.Branch}' (it has {string.Join(", ", names)}).", edge.Location, Suggestions.Hint(edge.Branch, names));
                }
            }

            if (ok)
            {
                valid.Add(edge);
            }
        }

        return valid;
    }

    private static string Describe(EdgeDefinition edge) =>
        edge.Branch is null ? $"{edge.From} -> {edge.To}" : $"{edge.From}.{edge.Branch} -> {edge.To}";

    /// <summary>Every node upstream of <paramref name="id"/> in this graph (cycles are tolerated; they are reported elsewhere).</summary>
    private ImmutableHashSet<string> AncestorsOf(string id)
    {
        if (_ancestors.TryGetValue(id, out var known))
        {
            return known;
        }

        var result = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([id]);
        while (stack.Count > 0)
        {
            foreach (var edge in _incoming.GetValueOrDefault(stack.Pop()) ?? [])
            {
                if (result.Add(edge.From))
                {
                    stack.Push(edge.From);
                }
            }
        }

        result.Remove(id);
        return _ancestors[id] = [.. result];
    }

    /// <summary>
    /// A node whose every incoming edge can never be taken (a constant false 'when', or an unreachable source) never
    /// runs. That is legal (it is skipped) but almost always a mistake, so it is a warning.
    /// </summary>
    private void ReportUnreachable()
    {
        var dead = new HashSet<string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var (id, incoming) in _incoming)
            {
                if (!dead.Contains(id) && incoming.Count > 0 && incoming.All(e => dead.Contains(e.From) || IsNeverTaken(e)))
                {
                    changed |= dead.Add(id);
                }
            }
        }
        while (changed);

        foreach (var node in graph.Nodes.Where(n => dead.Contains(n.Id) && _nodes.GetValueOrDefault(n.Id) == n))
        {
            context.Warning(DiagnosticCodes.Unreachable, $"Node '{node.Id}' can never run: none of its incoming edges can be taken.", context.Locate(node.Location, ".id"), "remove the constant false 'when' or the node");
        }
    }

    private bool IsNeverTaken(EdgeDefinition edge)
    {
        if (ValidationContext.ConstantOf(edge.When) is { } when && !when.IsTruthy)
        {
            return true;
        }

        // The branch of a condition whose 'if' is constant: only one of true/false is ever chosen.
        var from = _nodes[edge.From];
        if (edge.Branch is not null && from.Kind == "condition" && from.Branches.FirstOrDefault(b => b.Name == "true")?.When is { } test
            && ValidationContext.ConstantOf(test) is { } constant)
        {
            return constant.IsTruthy != (edge.Branch == "true");
        }

        return false;
    }
}
