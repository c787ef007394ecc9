using System.Collections.Frozen;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Validation;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>Reads <c>nodes:</c> (a list, or a mapping from id to node) and <c>edges:</c>; <c>needs</c> become edges.</summary>
internal sealed class NodeReader(DslContext context, NodeKindCatalog catalog, WorkflowReader workflows)
{
    private static readonly FrozenDictionary<string, ErrorStrategy> ErrorStrategies = new Dictionary<string, ErrorStrategy>(StringComparer.Ordinal)
    {
        ["fail"] = ErrorStrategy.Fail,
        ["continue"] = ErrorStrategy.Continue,
        ["fallback"] = ErrorStrategy.Fallback,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, JoinMode> JoinModes = new Dictionary<string, JoinMode>(StringComparer.Ordinal)
    {
        ["all"] = JoinMode.All,
        ["any"] = JoinMode.Any,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public void ReadNodes(YamlNode node, string path, List<NodeDefinition> nodes, List<EdgeDefinition> edges)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    AddNode(ReadNode(sequence.Children[i], DslContext.Index(path, i), null, edges), nodes);
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (id, _, value, nodePath) in context.Entries(mapping, path))
                {
                    AddNode(ReadNode(value, nodePath, id, edges), nodes);
                }

                break;
            default:
                context.Error(DiagnosticCodes.WrongType, $"'nodes' must be a list of nodes or a mapping from id to node, not {DslContext.Describe(node)}.", node, path);
                break;
        }

        static void AddNode(NodeDefinition? definition, List<NodeDefinition> nodes)
        {
            if (definition is not null)
            {
                nodes.Add(definition);
            }
        }
    }

    public void ReadEdges(YamlNode node, string path, List<EdgeDefinition> edges)
    {
        if (node is not YamlSequenceNode sequence)
        {
            context.Error(DiagnosticCodes.WrongType, $"'edges' must be a list, not {DslContext.Describe(node)}.", node, path, "write e.g. edges: [{ from: a, to: b }]");
            return;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var edgePath = DslContext.Index(path, i);
            var mapping = context.Mapping(sequence.Children[i], edgePath, "An edge");
            if (mapping is null)
            {
                continue;
            }

            context.CheckKeys(mapping, edgePath, DslKeys.Edge, "an edge");
            string? from = null, to = null, branch = null;
            Expressions.Expression? when = null;
            foreach (var (key, _, value, valuePath) in context.Entries(mapping, edgePath))
            {
                switch (key)
                {
                    case "from":
                        from = context.String(value, valuePath, "'from'");
                        break;
                    case "to":
                        to = context.String(value, valuePath, "'to'");
                        break;
                    case "branch":
                        branch = context.String(value, valuePath, "'branch'");
                        break;
                    case "when":
                        when = context.Condition(value, valuePath, "the edge's 'when'");
                        break;
                }
            }

            if (from is null || to is null)
            {
                context.Error(DiagnosticCodes.MissingKey, $"An edge needs both 'from' and 'to'.", mapping, edgePath, "write e.g. { from: a, to: b }");
                continue;
            }

            // "from: route.true" is accepted as a shorthand for "from: route, branch: true".
            if (branch is null && from.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
            {
                branch = from[(dot + 1)..];
                from = from[..dot];
            }

            edges.Add(new EdgeDefinition(from, to, branch, when, context.Loc(mapping, edgePath)));
        }
    }

    private NodeDefinition? ReadNode(YamlNode node, string path, string? keyedId, List<EdgeDefinition> edges)
    {
        var mapping = context.Mapping(node, path, "A node");
        if (mapping is null)
        {
            return null;
        }

        context.CheckKeys(mapping, path, DslKeys.AllNode, "a node");
        var values = context.Entries(mapping, path).ToDictionary(e => e.Key, e => (Node: e.Value, e.Path, e.KeyNode), StringComparer.Ordinal);
        var id = keyedId;
        if (values.TryGetValue("id", out var idEntry))
        {
            var declared = context.String(idEntry.Node, idEntry.Path, "The node id");
            if (keyedId is not null && declared is not null && declared != keyedId)
            {
                context.Error(DiagnosticCodes.InvalidId, $"Node '{keyedId}' declares id '{declared}'; they must match.", idEntry.Node, idEntry.Path, "remove the 'id' key; the mapping key is the id");
            }

            id ??= declared;
        }

        if (id is null)
        {
            context.Error(DiagnosticCodes.MissingKey, "The node has no 'id'.", node, path, "add e.g. 'id: fetch'");
            id = string.Empty;
        }

        var kind = values.TryGetValue("kind", out var kindEntry) ? context.String(kindEntry.Node, kindEntry.Path, "The node kind") : InferKind(values.Keys);
        if (kind is null && !values.ContainsKey("kind"))
        {
            context.Error(DiagnosticCodes.MissingKey, $"Node '{id}' has no 'kind'.", node, path, $"add e.g. 'kind: noop'; known kinds: {string.Join(", ", catalog.Names)}");
        }

        var location = context.Loc(node, path);
        var definition = new NodeDefinition { Id = id, Kind = kind ?? string.Empty, Location = location };
        var control = new ControlReader(context, workflows);
        foreach (var (key, (value, valuePath, keyNode)) in values)
        {
            if (DslKeys.ControlNode.Contains(key) && kind is not null && catalog.TryGet(kind, out var info) && !info.NodeKeys.Contains(key))
            {
                context.Error(DiagnosticCodes.KeyNotForKind, $"Key '{key}' is not used by kind '{kind}' (node '{id}').", keyNode, valuePath, KindsUsing(key));
                continue;
            }

            definition = key switch
            {
                "name" => definition with { Name = context.String(value, valuePath, "'name'") },
                "description" => definition with { Description = context.String(value, valuePath, "'description'") },
                "needs" => ReadNeeds(value, valuePath, id, edges, definition),
                "with" => context.Template(value, valuePath) is { } parameters ? definition with { Parameters = parameters } : definition,
                "retry" => definition with { Retry = RetryReader.Read(context, value, valuePath) ?? definition.Retry },
                "timeout" => definition with { Timeout = context.Duration(value, valuePath, "'timeout'") },
                "onError" => definition with { OnError = context.Keyword(value, valuePath, "'onError'", ErrorStrategies) ?? ErrorStrategy.Fail },
                "fallback" => definition with { Fallback = context.Template(value, valuePath) },
                "join" => definition with { Join = context.Keyword(value, valuePath, "'join'", JoinModes) ?? JoinMode.All },
                _ => control.Read(key, value, valuePath, definition),
            };
        }

        if (definition.Fallback is not null && !values.ContainsKey("onError"))
        {
            definition = definition with { OnError = ErrorStrategy.Fallback };
        }

        return values.TryGetValue("default", out var defaultEntry)
            ? control.Complete(definition, defaultEntry.Node, defaultEntry.Path)
            : control.Complete(definition, null, null);
    }

    private NodeDefinition ReadNeeds(YamlNode node, string path, string id, List<EdgeDefinition> edges, NodeDefinition definition)
    {
        IEnumerable<(YamlNode Node, string Path)> items = node is YamlSequenceNode sequence
            ? sequence.Children.Select((child, i) => (child, DslContext.Index(path, i)))
            : [(node, path)];
        foreach (var (item, itemPath) in items)
        {
            var text = context.String(item, itemPath, "An entry of 'needs'");
            if (text is null)
            {
                continue;
            }

            var location = context.Loc(item, itemPath);
            context.SourceMap.AddPosition(itemPath, location);
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            edges.Add(dot > 0
                ? new EdgeDefinition(text[..dot], id, text[(dot + 1)..], null, location)
                : new EdgeDefinition(text, id, null, null, location));
        }

        return definition;
    }

    private static string? InferKind(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            switch (key)
            {
                case "if":
                    return "condition";
                case "cases":
                    return "switch";
                case "items":
                    return "map";
                case "workflow":
                    return "subworkflow";
            }
        }

        return null;
    }

    private string KindsUsing(string key)
    {
        var kinds = catalog.Kinds.Where(k => k.NodeKeys.Contains(key)).Select(k => k.Name).ToList();
        return kinds.Count == 0 ? "remove it" : $"'{key}' belongs to kind {string.Join(" or ", kinds)}; remove it or change the kind";
    }
}
