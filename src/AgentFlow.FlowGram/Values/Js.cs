using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlow.FlowGram.Values;

/// <summary>
/// JavaScript value semantics over plain CLR objects: <c>null</c> is JSON null, <see cref="Undefined"/> is JS
/// <c>undefined</c> (a key that disappears in JSON), numbers are <see cref="double"/>, arrays are
/// <see cref="List{T}"/> and objects are insertion-ordered <see cref="JsObject"/>.
/// </summary>
internal static class Js
{
    /// <summary>The JS <c>undefined</c> value; distinct from JSON null because FlowGram keeps keys holding it (§1.8).</summary>
    public static readonly object Undefined = new UndefinedValue();

    public static bool IsNil(object? value) => value is null || value is UndefinedValue;

    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => FromObject(o),
        JsonArray a => FromArray(a),
        JsonValue v => FromValue(v),
        _ => null,
    };

    /// <summary>JSON text as JS values (<c>JSON.parse</c>); throws what <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> throws.</summary>
    public static object? Parse(string json)
    {
        // Straight from the UTF-8 reader: several times faster than building a JsonNode tree first, and schemas are
        // parsed on every TaskRun. Anything unusual (invalid JSON, duplicate keys, broken surrogates) takes the JsonNode
        // path, so callers keep seeing exactly the errors they always saw.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(json));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
            var strings = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            if (reader.Read() && TryRead(ref reader, strings, out var value) && !reader.Read())
            {
                return value;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Reported below by the JsonNode path.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return FromJson(JsonNode.Parse(json));
    }

    public static JsonNode? ToJson(object? value) => value switch
    {
        null or UndefinedValue => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
        JsObject o => ToJsonObject(o),
        List<object?> list => new JsonArray([.. list.Select(i => i is UndefinedValue ? null : ToJson(i))]),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>JSON text as <c>JSON.stringify</c> writes it (undefined keys dropped, no spaces).</summary>
    public static string Stringify(object? value)
    {
        if (value is UndefinedValue)
        {
            return "undefined";
        }

        var builder = new StringBuilder();
        WriteJson(builder, value);
        return builder.ToString();
    }

    /// <summary>JS <c>String(v)</c>.</summary>
    public static string ToJsString(object? value) => value switch
    {
        null => "null",
        UndefinedValue => "undefined",
        string s => s,
        bool b => b ? "true" : "false",
        double d => NumberToString(d),
        List<object?> list => string.Join(",", list.Select(i => IsNil(i) ? string.Empty : ToJsString(i))),
        _ => "[object Object]",
    };

    /// <summary>JS <c>typeof</c>.</summary>
    public static string TypeOf(object? value) => value switch
    {
        UndefinedValue => "undefined",
        string => "string",
        bool => "boolean",
        double => "number",
        _ => "object",
    };

    public static string NumberToString(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == 0)
        {
            return "0";
        }

        var abs = Math.Abs(d);
        if (abs >= 1e21 || abs < 1e-6)
        {
            var r = d.ToString("R", CultureInfo.InvariantCulture);
            var e = r.IndexOf('E', StringComparison.Ordinal);
            if (e < 0)
            {
                return r;
            }

            var mantissa = r[..e];
            var exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            return $"{mantissa}e{(exponent >= 0 ? "+" : "-")}{Math.Abs(exponent).ToString(CultureInfo.InvariantCulture)}";
        }

        if (Math.Floor(d) == d)
        {
            return d.ToString("F0", CultureInfo.InvariantCulture);
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) ? ((decimal)d).ToString(CultureInfo.InvariantCulture) : text;
    }

    public static bool IsInteger(object? value) => value is double d && double.IsFinite(d) && Math.Floor(d) == d;

    /// <summary>lodash <c>get(value, path)</c> with string segments, from segment <paramref name="start"/> on.</summary>
    public static object? Get(object? value, IReadOnlyList<string> path, int start = 0)
    {
        var current = value;
        for (var n = start; n < path.Count; n++)
        {
            var segment = path[n];
            switch (current)
            {
                case JsObject o:
                    current = o.TryGetValue(segment, out var v) ? v : Undefined;
                    break;
                case List<object?> list when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i):
                    current = i < list.Count ? list[i] : Undefined;
                    break;
                case List<object?> list when segment == "length":
                    current = (double)list.Count;
                    break;
                case string s when segment == "length":
                    current = (double)s.Length;
                    break;
                default:
                    return Undefined;
            }
        }

        return current;
    }

    private static bool TryRead(ref Utf8JsonReader reader, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings, out object? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var o = new JsObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = ReadString(ref reader, strings);
                    if (!reader.Read() || !TryRead(ref reader, strings, out var item) || !o.TryAdd(key, item))
                    {
                        return false;
                    }
                }

                value = o;
                return reader.TokenType == JsonTokenType.EndObject;
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryRead(ref reader, strings, out var item))
                    {
                        return false;
                    }

                    list.Add(item);
                }

                value = list;
                return reader.TokenType == JsonTokenType.EndArray;
            case JsonTokenType.String:
                value = ReadString(ref reader, strings);
                return true;
            case JsonTokenType.Number:
                value = reader.TryGetDouble(out var d) ? d : double.Parse(Encoding.UTF8.GetString(reader.ValueSpan), CultureInfo.InvariantCulture);
                return true;
            case JsonTokenType.True or JsonTokenType.False:
                value = reader.TokenType == JsonTokenType.True;
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A key or string value, one instance per distinct short text within one parse: schemas repeat "type", "ref",
    /// "object", node ids and so on hundreds of times, and the parsed tree stays alive as long as its task.
    /// </summary>
    private static string ReadString(ref Utf8JsonReader reader, Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> strings)
    {
        const int Shared = 32;
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > Shared || strings.Dictionary.Count >= 4096)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[Shared];
        var text = chars[..Encoding.UTF8.GetChars(reader.ValueSpan, chars)];
        if (!strings.TryGetValue(text, out var shared))
        {
            shared = text.ToString();
            strings.Dictionary[shared] = shared;
        }

        return shared;
    }

    private static List<object?> FromArray(JsonArray a)
    {
        var result = new List<object?>(a.Count);
        foreach (var item in a)
        {
            result.Add(FromJson(item));
        }

        return result;
    }

    private static JsObject FromObject(JsonObject o)
    {
        var result = new JsObject(o.Count);
        foreach (var (key, node) in o)
        {
            result[key] = FromJson(node);
        }

        return result;
    }

    private static object? FromValue(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.String => v.GetValue<string>(),
        JsonValueKind.Number => NumberOf(v),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>A JSON number as the JS number <c>JSON.parse</c> gives.</summary>
    internal static double NumberOf(JsonValue v) => v.TryGetValue<double>(out var d) ? d : double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);

    private static JsonObject ToJsonObject(JsObject o)
    {
        var result = new JsonObject();
        foreach (var (key, value) in o)
        {
            if (value is not UndefinedValue)
            {
                result[key] = ToJson(value);
            }
        }

        return result;
    }

    private static void WriteJson(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case JsObject o:
                builder.Append('{');
                var first = true;
                foreach (var (key, item) in o)
                {
                    if (item is UndefinedValue)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    builder.Append(JsonSerializer.Serialize(key)).Append(':');
                    WriteJson(builder, item);
                }

                builder.Append('}');
                break;
            case List<object?> list:
                builder.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    WriteJson(builder, list[i] is UndefinedValue ? null : list[i]);
                }

                builder.Append(']');
                break;
            case double d:
                builder.Append(double.IsFinite(d) ? NumberToString(d) : "null");
                break;
            case string s:
                builder.Append(JsonSerializer.Serialize(s, JsonOptions.Relaxed));
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private sealed class UndefinedValue
    {
        public override string ToString() => "undefined";
    }
}
