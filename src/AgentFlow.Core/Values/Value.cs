using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFlow.Core.Values;

/// <summary>
/// An immutable JSON-shaped value: the data that flows between workflow inputs, node inputs,
/// node outputs, variables and expressions. <c>default(Value)</c> is <see cref="Null"/>.
/// </summary>
/// <remarks>Immutable and freely shareable, unlike <c>JsonNode</c> which allows one parent only.</remarks>
[JsonConverter(typeof(ValueJsonConverter))]
public readonly struct Value : IEquatable<Value>
{
    private readonly object? _reference;
    private readonly double _number;

    private Value(ValueKind kind, double number, object? reference)
    {
        Kind = kind;
        _number = number;
        _reference = reference;
    }

    /// <summary>The kind of this value.</summary>
    public ValueKind Kind { get; }

    /// <summary>The JSON <c>null</c>.</summary>
    public static Value Null => default;

    /// <summary>The boolean <c>true</c>.</summary>
    public static Value True { get; } = new(ValueKind.Boolean, 1, null);

    /// <summary>The boolean <c>false</c>.</summary>
    public static Value False { get; } = new(ValueKind.Boolean, 0, null);

    /// <summary>An empty object.</summary>
    public static Value EmptyObject { get; } = new(ValueKind.Object, 0, ValueObject.Empty);

    /// <summary>An empty array.</summary>
    public static Value EmptyArray { get; } = new(ValueKind.Array, 0, ValueArray.Empty);

    public bool IsNull => Kind == ValueKind.Null;

    public static Value From(bool value) => value ? True : False;

    public static Value From(double value) => new(ValueKind.Number, value, null);

    public static Value From(long value) => new(ValueKind.Number, value, null);

    public static Value From(string? value) => value is null ? Null : new(ValueKind.String, 0, value);

    public static Value From(ValueArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return new(ValueKind.Array, 0, array);
    }

    public static Value From(ValueObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new(ValueKind.Object, 0, obj);
    }

    /// <summary>
    /// Marks this value's object or array (when it has entries) as a constant: immutable, and recorded alike by many
    /// executions, so an encoded event log may refer to the one instance instead of copying it. Returns this value.
    /// Only for values nothing changes afterwards; the empty containers are shared already and stay unmarked.
    /// </summary>
    public Value AsConstant()
    {
        if (Kind == ValueKind.Object && AsObject() is { Count: > 0 } obj)
        {
            obj.MarkConstant();
        }
        else if (Kind == ValueKind.Array && AsArray() is { Count: > 0 } array)
        {
            array.MarkConstant();
        }

        return this;
    }

    /// <summary>Creates an array value from items.</summary>
    public static Value Array(params Value[] items) => From(new ValueArray(items.AsSpan().ToArray()));

    /// <summary>Creates an array value from items.</summary>
    public static Value Array(IEnumerable<Value> items) => From(new ValueArray(items.ToArray()));

    /// <summary>Creates an object value; later duplicates of a key replace earlier ones.</summary>
    public static Value Object(IEnumerable<KeyValuePair<string, Value>> properties) => From(ValueObject.Create(properties));

    /// <summary>Creates an object value from (name, value) pairs.</summary>
    public static Value Object(params ReadOnlySpan<(string Name, Value Value)> properties)
    {
        var entries = new KeyValuePair<string, Value>[properties.Length];
        for (var i = 0; i < properties.Length; i++)
        {
            entries[i] = new(properties[i].Name, properties[i].Value);
        }

        return From(ValueObject.FromEntries(entries, properties.Length));
    }

    public static implicit operator Value(bool value) => From(value);

    public static implicit operator Value(double value) => From(value);

    public static implicit operator Value(long value) => From(value);

    public static implicit operator Value(int value) => From(value);

    public static implicit operator Value(string? value) => From(value);

    public bool AsBoolean() => Kind == ValueKind.Boolean ? _number != 0 : throw WrongKind(ValueKind.Boolean);

    public double AsNumber() => Kind == ValueKind.Number ? _number : throw WrongKind(ValueKind.Number);

    public string AsString() => Kind == ValueKind.String ? (string)_reference! : throw WrongKind(ValueKind.String);

    public ValueArray AsArray() => Kind == ValueKind.Array ? (ValueArray)_reference! : throw WrongKind(ValueKind.Array);

    public ValueObject AsObject() => Kind == ValueKind.Object ? (ValueObject)_reference! : throw WrongKind(ValueKind.Object);

    /// <summary>True when this is a number with no fractional part that fits in a 64-bit integer.</summary>
    public bool IsInteger => Kind == ValueKind.Number && Math.Abs(_number) <= 9007199254740992d && Math.Floor(_number) == _number;

    /// <summary>Looks up a property of an object; false for other kinds or a missing name.</summary>
    public bool TryGetProperty(string name, out Value value)
    {
        if (Kind == ValueKind.Object)
        {
            return ((ValueObject)_reference!).TryGetValue(name, out value);
        }

        value = Null;
        return false;
    }

    /// <summary>The named property of an object, or <see cref="Null"/> when absent or not an object.</summary>
    public Value this[string name] => TryGetProperty(name, out var value) ? value : Null;

    /// <summary>The item of an array at an index, or <see cref="Null"/> when out of range or not an array.</summary>
    public Value this[int index] =>
        Kind == ValueKind.Array && (uint)index < (uint)((ValueArray)_reference!).Count ? ((ValueArray)_reference!)[index] : Null;

    /// <summary>JavaScript-like truthiness: null, false, 0, NaN and "" are false; everything else is true.</summary>
    public bool IsTruthy => Kind switch
    {
        ValueKind.Null => false,
        ValueKind.Boolean or ValueKind.Number => _number != 0 && !double.IsNaN(_number),
        ValueKind.String => ((string)_reference!).Length > 0,
        _ => true,
    };

    /// <summary>The lowercase name of the kind, as used in error messages.</summary>
    public string KindName => KindToName(Kind);

    public static string KindToName(ValueKind kind) => kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Boolean => "boolean",
        ValueKind.Number => "number",
        ValueKind.String => "string",
        ValueKind.Array => "array",
        _ => "object",
    };

    /// <summary>Strings as themselves, numbers in shortest round-trip form, everything else as compact JSON.</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.String => (string)_reference!,
        ValueKind.Number => FormatNumber(_number),
        ValueKind.Boolean => _number != 0 ? "true" : "false",
        ValueKind.Null => "null",
        _ => ToJson(),
    };

    /// <summary>Formats a number the way JSON and JavaScript print it (integers without a fraction).</summary>
    public static string FormatNumber(double number)
    {
        if (Math.Floor(number) == number && Math.Abs(number) < 1e15)
        {
            return ((long)number).ToString(CultureInfo.InvariantCulture);
        }

        return number.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Serializes this value as JSON.</summary>
    public string ToJson(bool indented = false)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsPlainInteger(double number) =>
        number is > -1e15 and < 1e15 && (long)number == number && !(number == 0 && double.IsNegative(number));

    /// <summary>Writes this value to a JSON writer.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Kind)
        {
            case ValueKind.Null:
                writer.WriteNullValue();
                break;
            case ValueKind.Boolean:
                writer.WriteBooleanValue(_number != 0);
                break;
            case ValueKind.Number:
                if (IsPlainInteger(_number))
                {
                    // The same digits the double would print (it switches to an exponent only from 1E+15 on), written
                    // without the shortest-round-trip search a double goes through.
                    writer.WriteNumberValue((long)_number);
                }
                else if (double.IsFinite(_number))
                {
                    writer.WriteNumberValue(_number);
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case ValueKind.String:
                writer.WriteStringValue((string)_reference!);
                break;
            case ValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in (ValueArray)_reference!)
                {
                    item.WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                foreach (var (name, value) in (ValueObject)_reference!)
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }

                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>Parses JSON text into a value.</summary>
    /// <exception cref="JsonException">The text is not valid JSON.</exception>
    public static Value Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return FromJsonElement(document.RootElement);
    }

    /// <summary>Converts a parsed JSON element into a value.</summary>
    public static Value FromJsonElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Number => From(element.GetDouble()),
        JsonValueKind.String => From(element.GetString()),
        JsonValueKind.Array => From(new ValueArray(element.EnumerateArray().Select(FromJsonElement).ToArray())),
        _ => From(ValueObject.Create(element.EnumerateObject().Select(p => new KeyValuePair<string, Value>(p.Name, FromJsonElement(p.Value))))),
    };

    /// <summary>Deep structural equality; numbers compare by value, object properties regardless of order.</summary>
    public bool Equals(Value other)
    {
        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            ValueKind.Null => true,
            ValueKind.Boolean or ValueKind.Number => _number.Equals(other._number),
            ValueKind.String => string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal),
            ValueKind.Array => ((ValueArray)_reference!).SequenceEqual((ValueArray)other._reference!),
            _ => ((ValueObject)_reference!).ContentEquals((ValueObject)other._reference!),
        };
    }

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        ValueKind.Null => 0,
        ValueKind.Boolean or ValueKind.Number => _number.GetHashCode(),
        ValueKind.String => StringComparer.Ordinal.GetHashCode((string)_reference!),
        ValueKind.Array => HashCode.Combine(ValueKind.Array, ((ValueArray)_reference!).Count),
        _ => HashCode.Combine(ValueKind.Object, ((ValueObject)_reference!).Count),
    };

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    private InvalidOperationException WrongKind(ValueKind expected) =>
        new($"Expected a {KindToName(expected)} value but found {KindName}.");
}
