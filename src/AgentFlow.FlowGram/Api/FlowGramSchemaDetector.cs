using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlow.FlowGram.Api;

/// <summary>Tells a FlowGram workflow schema from other JSON workflow files.</summary>
public static class FlowGramSchemaDetector
{
    /// <summary>
    /// True for a JSON object whose <c>nodes</c> carry <c>meta.position</c> or whose <c>edges</c> carry
    /// <c>sourceNodeID</c>: the editor always writes both, and our own DSL has neither.
    /// </summary>
    public static bool IsFlowGram(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is not JsonObject root)
            {
                return false;
            }

            var positioned = root["nodes"] is JsonArray nodes && nodes.OfType<JsonObject>().Any(n => n["meta"]?["position"] is JsonObject);
            var flowEdges = root["edges"] is JsonArray edges && edges.OfType<JsonObject>().Any(e => e.ContainsKey("sourceNodeID"));
            return positioned || flowEdges;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
