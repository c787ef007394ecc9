using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Schema;

/// <summary>
/// A FlowGram schema flattened into one node list with prev/next relations, as js-core's document builder does
/// (<c>create-store.ts</c>, <c>flat-schema.ts</c>). Building throws the reference's messages for malformed input.
/// </summary>
internal sealed class FlowDocument
{
    private readonly Dictionary<string, FlowNode> _nodes = new(StringComparer.Ordinal);

    private FlowDocument(JsObject? globalVariable) => GlobalVariable = globalVariable;

    public IReadOnlyCollection<FlowNode> Nodes => _nodes.Values;

    public JsObject? GlobalVariable { get; }

    public FlowNode? Start => _nodes.Values.FirstOrDefault(n => n.Type == "start" && n.Parent is null);

    public FlowNode? Find(string id) => _nodes.GetValueOrDefault(id);

    /// <exception cref="FlowGramException">The document cannot be built (TaskRun throws in the reference).</exception>
    public static FlowDocument Build(JsObject schema)
    {
        var document = new FlowDocument(schema.GetValueOrDefault("globalVariable") as JsObject);
        var edges = new List<JsObject>();
        document.AddLevel(schema, null, edges);
        foreach (var edge in edges)
        {
            var from = edge.GetValueOrDefault("sourceNodeID") as string ?? string.Empty;
            var to = edge.GetValueOrDefault("targetNodeID") as string ?? string.Empty;
            var fromPort = edge.GetValueOrDefault("sourcePortID") as string;
            var toPort = edge.GetValueOrDefault("targetPortID") as string;
            if (!document._nodes.TryGetValue(from, out var source) || !document._nodes.TryGetValue(to, out var target))
            {
                var id = $"{from}{(fromPort is null ? string.Empty : ":" + fromPort)}-{to}{(toPort is null ? string.Empty : ":" + toPort)}";
                throw new FlowGramException($"Invalid edge schema ID: {id}, from: {from}, to: {to}");
            }

            var flowEdge = new FlowEdge(source, target, fromPort ?? "defaultOutput");
            source.Next.Add(flowEdge);
            target.Prev.Add(flowEdge);
        }

        return document;
    }

    private void AddLevel(JsObject container, FlowNode? parent, List<JsObject> edges)
    {
        var nodes = container.GetValueOrDefault(parent is null ? "nodes" : "blocks");
        var levelEdges = container.GetValueOrDefault("edges");
        if (levelEdges is not null and not List<object?>)
        {
            throw new FlowGramException("Spread syntax requires ...iterable[Symbol.iterator] to be a function");
        }

        foreach (var item in nodes as List<object?> ?? [])
        {
            if (item is not JsObject raw)
            {
                throw new FlowGramException("Cannot read properties of undefined (reading 'id')");
            }

            if (raw.GetValueOrDefault("meta") is not JsObject)
            {
                throw new FlowGramException("Cannot read properties of undefined (reading 'position')");
            }

            var node = CreateNode(raw, parent);
            _nodes[node.Id] = node;
            parent?.Children.Add(node);
            if (raw.ContainsKey("blocks"))
            {
                AddLevel(raw, node, edges);
            }
        }

        foreach (var edge in levelEdges as List<object?> ?? [])
        {
            if (edge is JsObject e)
            {
                edges.Add(e);
            }
        }
    }

    /// <summary>One node from its schema object, without relations.</summary>
    public static FlowNode CreateNode(JsObject raw, FlowNode? parent)
    {
        var id = Js.ToJsString(raw.GetValueOrDefault("id", Js.Undefined));
        var type = Js.ToJsString(raw.GetValueOrDefault("type", Js.Undefined));
        var data = raw.GetValueOrDefault("data") as JsObject ?? [];
        var remainder = new JsObject();
        foreach (var (key, value) in data)
        {
            if (key is not ("title" or "inputsValues" or "inputs" or "outputs"))
            {
                remainder[key] = value;
            }
        }

        return new FlowNode
        {
            Id = id,
            Type = type,
            Name = data.GetValueOrDefault("title") as string ?? $"{type}-{id}-untitled",
            Title = data.GetValueOrDefault("title") as string,
            Data = remainder,
            InputsValues = data.GetValueOrDefault("inputsValues") as JsObject,
            Inputs = data.GetValueOrDefault("inputs") as JsObject,
            Outputs = data.GetValueOrDefault("outputs") as JsObject,
            Parent = parent,
        };
    }
}
