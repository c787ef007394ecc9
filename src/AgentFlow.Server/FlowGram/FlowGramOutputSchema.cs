using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlow.Server.FlowGram;

/// <summary>
/// TaskReport's zod output schema of runtime-js 1.0.9 (<c>TaskReportDefine.schema.output</c> with
/// <c>WorkflowZodSchema</c>), applied as the reference server's trpc-openapi applies it: in strip mode, so keys outside
/// the schema are dropped (snapshot <c>error</c>) and the rest come in schema order; a report that does not parse is
/// the server's 500 "Output validation failed" (FLOWGRAM.md §4.1, §4.3).
/// </summary>
internal static class FlowGramOutputSchema
{
    private static readonly string[] MessageTypes = ["log", "info", "debug", "error", "warning"];

    private static readonly Parser StatusShape = ObjectOf(StatusFields());

    private static readonly Parser Snapshot = ObjectOf(
        new("id", IsString), new("nodeID", IsString), new("inputs", AnyRecord), new("outputs", AnyRecord, Optional: true), new("data", AnyRecord), new("branch", IsString, Optional: true));

    private static readonly Parser NodeReport = ObjectOf([new("id", IsString), .. StatusFields(), new("snapshots", ArrayOf(Snapshot))]);

    private static readonly Parser Message = ObjectOf(
        new("id", IsString), new("type", EnumOf(MessageTypes)), new("message", IsString), new("nodeID", IsString, Optional: true), new("timestamp", IsNumber));

    private static readonly Parser Report = ObjectOf(
        new("id", IsString),
        new("inputs", AnyRecord),
        new("outputs", AnyRecord),
        new("workflowStatus", StatusShape),
        new("reports", RecordOf(NodeReport)),
        new("messages", RecordOf(ArrayOf(Message), MessageTypes)));

    private delegate bool Parser(JsonNode? node, out JsonNode? parsed);

    /// <summary>The report as the reference server sends it, or null where it answers 500. Consumes <paramref name="report"/>: its nodes move into the answer.</summary>
    public static JsonObject? StripReport(JsonObject report) => Report(report, out var parsed) ? (JsonObject)parsed! : null;

    private static Field[] StatusFields() =>
        [new("status", IsString), new("terminated", IsBoolean), new("startTime", IsNumber), new("endTime", IsNumber, Optional: true), new("timeCost", IsNumber)];

    private static Parser ObjectOf(params Field[] fields) => (JsonNode? node, out JsonNode? parsed) =>
    {
        parsed = null;
        if (node is not JsonObject source)
        {
            return false;
        }

        var values = new JsonNode?[fields.Length];
        var present = new bool[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            present[i] = source.TryGetPropertyValue(fields[i].Key, out values[i]);
        }

        // Detaches the values so they can move into the stripped object without copying.
        source.Clear();
        var result = new JsonObject();
        for (var i = 0; i < fields.Length; i++)
        {
            if (!present[i])
            {
                if (fields[i].Optional)
                {
                    continue;
                }

                return false;
            }

            if (!fields[i].Parse(values[i], out var value))
            {
                return false;
            }

            result[fields[i].Key] = value;
        }

        parsed = result;
        return true;
    };

    /// <summary><c>z.record(keys, value)</c>: an object (not an array or null) whose keys are in <paramref name="keys"/> when given.</summary>
    private static Parser RecordOf(Parser value, string[]? keys = null) => (JsonNode? node, out JsonNode? parsed) =>
    {
        parsed = null;
        if (node is not JsonObject source)
        {
            return false;
        }

        var entries = source.ToList();
        source.Clear();
        var result = new JsonObject();
        foreach (var (key, item) in entries)
        {
            if ((keys is not null && !keys.Contains(key, StringComparer.Ordinal)) || !value(item, out var parsedItem))
            {
                return false;
            }

            result[key] = parsedItem;
        }

        parsed = result;
        return true;
    };

    private static Parser ArrayOf(Parser item) => (JsonNode? node, out JsonNode? parsed) =>
    {
        parsed = null;
        if (node is not JsonArray source)
        {
            return false;
        }

        var items = source.ToList();
        source.Clear();
        var result = new JsonArray();
        foreach (var element in items)
        {
            if (!item(element, out var parsedElement))
            {
                return false;
            }

            result.Add(parsedElement);
        }

        parsed = result;
        return true;
    };

    /// <summary><c>z.record(z.string(), z.any())</c>: any object, its values untouched.</summary>
    private static bool AnyRecord(JsonNode? node, out JsonNode? parsed)
    {
        parsed = node;
        return node is JsonObject;
    }

    private static bool IsString(JsonNode? node, out JsonNode? parsed) => Kind(node, out parsed, JsonValueKind.String);

    private static bool IsNumber(JsonNode? node, out JsonNode? parsed) => Kind(node, out parsed, JsonValueKind.Number);

    private static bool IsBoolean(JsonNode? node, out JsonNode? parsed) => Kind(node, out parsed, JsonValueKind.True, JsonValueKind.False);

    private static Parser EnumOf(string[] values) => (JsonNode? node, out JsonNode? parsed) =>
        Kind(node, out parsed, JsonValueKind.String) && values.Contains(node!.GetValue<string>(), StringComparer.Ordinal);

    private static bool Kind(JsonNode? node, out JsonNode? parsed, params JsonValueKind[] kinds)
    {
        parsed = node;
        return node is JsonValue value && kinds.Contains(value.GetValueKind());
    }

    private sealed record Field(string Key, Parser Parse, bool Optional = false);
}
