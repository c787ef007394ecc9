using System.Text.Json.Nodes;
using AgentFlow.Server.Executions;
using AgentFlow.Server.Security;

namespace AgentFlow.Server.Streams;

/// <summary>The JSON a stream item is sent as, the same in SSE <c>data:</c> lines and WebSocket messages.</summary>
internal static class StreamPayload
{
    public static (string Kind, long? Sequence, JsonObject Data) Of(StreamItem item, string tenant, IReadOnlyList<string> secrets) => item switch
    {
        StoredEventItem stored => Stored(stored, tenant, secrets),
        ProgressItem progress => ("progress", null, new JsonObject
        {
            ["executionId"] = progress.Update.ExecutionId,
            ["nodeId"] = progress.Update.NodeId,
            ["attempt"] = progress.Update.Attempt,
            ["partial"] = SecretRedaction.Redact(JsonNode.Parse(progress.Update.Partial.ToJson()), secrets),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    // The stream's event name is the event's persisted type discriminator, the same one history shows.
    private static (string, long?, JsonObject) Stored(StoredEventItem stored, string tenant, IReadOnlyList<string> secrets)
    {
        var json = EventJson.ToJson(stored.Event, tenant, secrets);
        return (json["type"]?.GetValue<string>() ?? "event", stored.Event.Sequence, json);
    }
}
