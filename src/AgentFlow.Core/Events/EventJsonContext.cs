using System.Text.Json.Serialization;

namespace AgentFlow.Core.Events;

/// <summary>Source-generated JSON metadata for events (camelCase, polymorphic on <c>type</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ExecutionEvent))]
[JsonSerializable(typeof(IReadOnlyList<ExecutionEvent>))]
[JsonSerializable(typeof(List<ExecutionEvent>))]
public sealed partial class EventJsonContext : JsonSerializerContext;
