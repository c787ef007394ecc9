using System.Collections.Immutable;
using System.Text.Json;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Definitions;

/// <summary>
/// Maps a FlowGram schema onto our definition model: node types become kinds <c>flowgram.&lt;type&gt;</c>, a loop's
/// <c>blocks</c>/<c>edges</c> become its <see cref="NodeDefinition.Body"/>, and a condition's <c>sourcePortID</c>
/// becomes the edge's branch. Used for tooling (graph export); execution goes through the FlowGram task API, whose
/// value and scheduling rules differ from the core runtime (see docs/flowgram.md).
/// </summary>
public static class FlowGramDefinitionMapper
{
    /// <summary>The kind name of a FlowGram node type.</summary>
    public static string KindOf(string type) => "flowgram." + type;

    /// <summary>Maps a FlowGram schema (JSON text) to a definition.</summary>
    /// <exception cref="FlowGramException">The text is not a JSON object.</exception>
    public static WorkflowDefinition Map(string schema, string id, string? file = null)
    {
        JsObject root;
        try
        {
            root = Js.Parse(schema) as JsObject ?? throw new FlowGramException("Workflow schema must be a valid object");
        }
        catch (JsonException ex)
        {
            throw new FlowGramException(ex.Message, ex);
        }

        return MapLevel(root, "nodes", id, "$", file);
    }

    private static WorkflowDefinition MapLevel(JsObject container, string nodesKey, string id, string path, string? file)
    {
        var nodes = ImmutableArray.CreateBuilder<NodeDefinition>();
        var conditions = new HashSet<string>(StringComparer.Ordinal);
        var rawNodes = container.GetValueOrDefault(nodesKey) as List<object?> ?? [];
        for (var i = 0; i < rawNodes.Count; i++)
        {
            if (rawNodes[i] is not JsObject raw)
            {
                continue;
            }

            var nodePath = $"{path}.{nodesKey}[{i}]";
            var nodeId = Js.ToJsString(raw.GetValueOrDefault("id", Js.Undefined));
            var type = Js.ToJsString(raw.GetValueOrDefault("type", Js.Undefined));
            if (type == "condition")
            {
                conditions.Add(nodeId);
            }

            nodes.Add(new NodeDefinition
            {
                Id = nodeId,
                Kind = KindOf(type),
                Name = (raw.GetValueOrDefault("data") as JsObject)?.GetValueOrDefault("title") as string,
                Body = raw.ContainsKey("blocks") ? MapLevel(raw, "blocks", $"{id}.{nodeId}", nodePath, file) : null,
                Location = new SourceLocation(file, 0, 0, nodePath),
            });
        }

        var edges = ImmutableArray.CreateBuilder<EdgeDefinition>();
        var rawEdges = container.GetValueOrDefault("edges") as List<object?> ?? [];
        for (var i = 0; i < rawEdges.Count; i++)
        {
            if (rawEdges[i] is JsObject edge)
            {
                var from = Js.ToJsString(edge.GetValueOrDefault("sourceNodeID", Js.Undefined));
                var port = edge.GetValueOrDefault("sourcePortID") as string;
                var branch = conditions.Contains(from) ? port : null;
                edges.Add(new EdgeDefinition(from, Js.ToJsString(edge.GetValueOrDefault("targetNodeID", Js.Undefined)), branch, null, new SourceLocation(file, 0, 0, $"{path}.edges[{i}]")));
            }
        }

        return new WorkflowDefinition { Id = id, Nodes = nodes.ToImmutable(), Edges = edges.ToImmutable(), Location = new SourceLocation(file, 0, 0, path) };
    }
}
