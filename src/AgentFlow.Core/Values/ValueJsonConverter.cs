using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFlow.Core.Values;

/// <summary>Reads and writes <see cref="Value"/> as plain JSON.</summary>
public sealed class ValueJsonConverter : JsonConverter<Value>
{
    public override bool HandleNull => true;

    public override Value Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return Value.FromJsonElement(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, Value value, JsonSerializerOptions options) => value.WriteTo(writer);
}
