using System.Collections.Frozen;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Core.Execution;

/// <summary>
/// A definition precompiled into index arrays so the decider only looks at the successors of the node
/// that just changed: O(affected) per event instead of a scan of the whole graph. Immutable; share it
/// across executions of the same definition.
/// </summary>
public sealed class CompiledGraph
{
    private const int ReferenceScanLimit = 8;
    private readonly FrozenDictionary<string, int> _indexById;
    private readonly string[] _ids;

    private CompiledGraph(WorkflowDefinition definition, WorkflowDefinition root)
    {
        Definition = definition;
        Root = root;
        Nodes = [.. definition.Nodes];
        var index = new Dictionary<string, int>(Nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < Nodes.Length; i++)
        {
            if (!index.TryAdd(Nodes[i].Id, i))
            {
                throw new DefinitionException([new Diagnostic("AF0900", $"Node id '{Nodes[i].Id}' is declared twice.", Nodes[i].Location)]);
            }
        }

        _indexById = index.ToFrozenDictionary(StringComparer.Ordinal);
        _ids = [.. Nodes.Select(n => n.Id)];
        Edges = new CompiledEdge[definition.Edges.Length];
        var incoming = new List<int>[Nodes.Length];
        var outgoing = new List<int>[Nodes.Length];
        for (var i = 0; i < Nodes.Length; i++)
        {
            incoming[i] = [];
            outgoing[i] = [];
        }

        for (var e = 0; e < Edges.Length; e++)
        {
            var edge = definition.Edges[e];
            var from = Resolve(edge.From, edge);
            var to = Resolve(edge.To, edge);
            Edges[e] = new CompiledEdge(from, to, edge.Branch, edge.When);
            outgoing[from].Add(e);
            incoming[to].Add(e);
        }

        Incoming = new int[Nodes.Length][];
        Outgoing = new int[Nodes.Length][];
        Successors = new int[Nodes.Length][];
        SuccessorEdges = new int[Nodes.Length][][];
        IsControl = new bool[Nodes.Length];
        IsSink = new bool[Nodes.Length];
        var roots = new List<int>();
        for (var i = 0; i < Nodes.Length; i++)
        {
            Incoming[i] = [.. incoming[i]];
            Outgoing[i] = [.. outgoing[i]];
            Successors[i] = [.. outgoing[i].Select(e => Edges[e].To).Distinct()];
            var from = i;
            SuccessorEdges[i] = [.. Successors[i].Select(to => outgoing[from].Where(e => Edges[e].To == to).ToArray())];
            IsControl[i] = Nodes[i].Kind is NodeKinds.Break or NodeKinds.Continue;
            IsSink[i] = outgoing[i].Count == 0;
            if (incoming[i].Count == 0)
            {
                roots.Add(i);
            }
        }

        Roots = [.. roots];
    }

    /// <summary>The definition this graph was compiled from.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>The outermost definition (for resolving sub-workflow references); the same as <see cref="Definition"/> at the top.</summary>
    public WorkflowDefinition Root { get; }

    /// <summary>The nodes in declaration order; a node's index is its position here.</summary>
    public NodeDefinition[] Nodes { get; }

    internal CompiledEdge[] Edges { get; }

    /// <summary>Per node, the indexes (into <see cref="Edges"/>) of edges arriving at it.</summary>
    internal int[][] Incoming { get; }

    /// <summary>Per node, the indexes of edges leaving it.</summary>
    internal int[][] Outgoing { get; }

    /// <summary>Per node, the distinct downstream node indexes.</summary>
    internal int[][] Successors { get; }

    /// <summary>Per node and per entry of <see cref="Successors"/>, the edges leading there (usually one).</summary>
    internal int[][][] SuccessorEdges { get; }

    internal bool[] IsSink { get; }

    /// <summary>Break and continue nodes, which end a map item early.</summary>
    internal bool[] IsControl { get; }

    /// <summary>Indexes of nodes without incoming edges.</summary>
    internal int[] Roots { get; }

    /// <summary>The number of nodes.</summary>
    public int Count => Nodes.Length;

    /// <summary>Compiles a definition.</summary>
    /// <param name="definition">The graph to compile.</param>
    /// <param name="root">The outermost definition when <paramref name="definition"/> is nested (a map body or inline child).</param>
    /// <exception cref="DefinitionException">An edge names an unknown node or an id is repeated.</exception>
    public static CompiledGraph Compile(WorkflowDefinition definition, WorkflowDefinition? root = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new CompiledGraph(definition, root ?? definition);
    }

    /// <summary>The index of a node id, or -1.</summary>
    public int IndexOf(string nodeId)
    {
        // The runtime names nodes with their definitions' own strings: a small graph finds them by reference, without
        // hashing the id (several lookups per event, and every map item is a run of its body).
        var ids = _ids;
        if (ids.Length <= ReferenceScanLimit)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (ReferenceEquals(ids[i], nodeId))
                {
                    return i;
                }
            }
        }

        return _indexById.TryGetValue(nodeId, out var index) ? index : -1;
    }

    private int Resolve(string id, EdgeDefinition edge) =>
        _indexById.TryGetValue(id, out var index)
            ? index
            : throw new DefinitionException([new Diagnostic("AF0901", $"Edge {edge.From} -> {edge.To} refers to unknown node '{id}'.", edge.Location)]);
}
