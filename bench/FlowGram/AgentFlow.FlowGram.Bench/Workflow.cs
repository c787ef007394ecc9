using System.Text.Json.Nodes;

namespace AgentFlow.FlowGram.Bench;

/// <summary>One file of bench/FlowGram/schemas: the schema (sent as JSON text, as the task API takes it) and its inputs.</summary>
internal sealed record Workflow(string Name, string File, string Schema, JsonObject Inputs)
{
    public static Workflow Load(string path)
    {
        var root = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
        return new Workflow(
            root["name"]!.GetValue<string>(),
            path,
            root["schema"]!.ToJsonString(),
            root["inputs"]?.AsObject() ?? []);
    }
}
