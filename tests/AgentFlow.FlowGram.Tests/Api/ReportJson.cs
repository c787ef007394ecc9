using System.Text.Json.Nodes;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>Reports without their volatile fields, to compare two runs of a task.</summary>
internal static class ReportJson
{
    /// <summary>The report without ids and times, keys sorted, as the differential harness compares it.</summary>
    public static JsonNode Normalise(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    // "date": the HTTP response header of the loopback server, which changes with the second.
                    if (key is not ("id" or "startTime" or "endTime" or "timeCost" or "timestamp" or "date"))
                    {
                        result[key] = value is null ? null : Normalise(value);
                    }
                }

                return result;
            case JsonArray a:
                return new JsonArray([.. a.Select(i => i is null ? null : Normalise(i))]);
            default:
                return node.DeepClone();
        }
    }
}
