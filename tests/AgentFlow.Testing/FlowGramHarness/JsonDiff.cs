using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlow.Testing.FlowGramHarness;

/// <summary>Structural JSON comparison like <c>compare.mjs</c>: key order ignored, array order kept, numbers by value.</summary>
public static class JsonDiff
{
    /// <summary>The first differing paths (at most <paramref name="limit"/>); empty when equal.</summary>
    public static List<string> Compare(JsonNode? expected, JsonNode? actual, int limit = 5)
    {
        var differences = new List<string>();
        Walk(expected, actual, "$", differences, limit);
        return differences;
    }

    private static void Walk(JsonNode? expected, JsonNode? actual, string path, List<string> differences, int limit)
    {
        if (differences.Count >= limit)
        {
            return;
        }

        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: expected {(e.ContainsKey(key) ? Text(e[key]) : "<absent>")}, got {(a.ContainsKey(key) ? Text(a[key]) : "<absent>")}");
                        continue;
                    }

                    Walk(e[key], a[key], $"{path}.{key}", differences, limit);
                }

                return;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    differences.Add($"{path}: expected {e.Count} elements, got {a.Count}");
                }

                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    Walk(e[i], a[i], $"{path}[{i}]", differences, limit);
                }

                return;
            case (JsonValue e, JsonValue a) when e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number:
                if (e.GetValue<double>() != a.GetValue<double>())
                {
                    differences.Add($"{path}: expected {Text(e)}, got {Text(a)}");
                }

                return;
            default:
                if (Text(expected) != Text(actual))
                {
                    differences.Add($"{path}: expected {Text(expected)}, got {Text(actual)}");
                }

                return;
        }
    }

    private static string Text(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
