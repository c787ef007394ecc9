using System.Text.Json;

namespace AgentFlow.Core.Events;

/// <summary>Serializes events to and from their persisted JSON form.</summary>
public static class EventSerializer
{
    /// <summary>One event as compact JSON with a <c>type</c> discriminator.</summary>
    public static string Serialize(ExecutionEvent executionEvent) =>
        JsonSerializer.Serialize(executionEvent, EventJsonContext.Default.ExecutionEvent);

    /// <summary>Reads one event.</summary>
    /// <exception cref="JsonException">The text is not a known event.</exception>
    public static ExecutionEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, EventJsonContext.Default.ExecutionEvent) ?? throw new JsonException("Expected an event, found null.");
}
