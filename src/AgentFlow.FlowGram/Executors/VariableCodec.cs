using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// Moves FlowGram values in and out of the event log. JS values become <see cref="Value"/>s as through JSON; a node's
/// variables are stored as <c>{key: {type, items, value}}</c> where a missing <c>value</c> is JS <c>undefined</c>
/// (kept distinct from null because FlowGram keeps keys holding undefined, §1.8).
/// </summary>
internal static class VariableCodec
{
    /// <summary>
    /// A JS value as a <see cref="Value"/>, as <c>JSON.parse(JSON.stringify(v))</c> would give it: undefined and
    /// non-finite numbers become null (dropped as object properties), anything else unknown its string. Converted
    /// directly, not through JSON text: this runs several times per node.
    /// </summary>
    public static Value ToValue(object? js) => js switch
    {
        null => Value.Null,
        string s => Value.From(s),
        bool b => Value.From(b),
        double d => double.IsFinite(d) ? Value.From(d) : Value.Null,
        JsObject o => ObjectToValue(o),
        List<object?> list => ArrayToValue(list),
        _ when ReferenceEquals(js, Js.Undefined) => Value.Null,
        _ => Value.From(js.ToString()),
    };

    /// <summary>
    /// JSON inputs in their stored form: <c>ToValue(Js.FromJson(node))</c>, converted directly (a number that is not
    /// finite becomes null, a value of another kind null), without making JS values first.
    /// </summary>
    public static Value FromJson(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                {
                    if (o.Count == 0)
                    {
                        return Value.EmptyObject;
                    }

                    var properties = new KeyValuePair<string, Value>[o.Count];
                    var i = 0;
                    foreach (var (key, child) in o)
                    {
                        properties[i++] = new(key, FromJson(child));
                    }

                    return Value.Object(properties);
                }

            case JsonArray a:
                {
                    if (a.Count == 0)
                    {
                        return Value.EmptyArray;
                    }

                    var items = new Value[a.Count];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = FromJson(a[i]);
                    }

                    return Value.From(new ValueArray(items));
                }

            case JsonValue v:
                return v.GetValueKind() switch
                {
                    JsonValueKind.String => Value.From(v.GetValue<string>()),
                    JsonValueKind.Number => Js.NumberOf(v) is var d && double.IsFinite(d) ? Value.From(d) : Value.Null,
                    JsonValueKind.True => Value.True,
                    JsonValueKind.False => Value.False,
                    _ => Value.Null,
                };
            default:
                return Value.Null;
        }
    }

    /// <summary>A <see cref="Value"/> as JS values (what <c>JSON.parse</c> of its JSON gives), converted directly.</summary>
    public static object? FromValue(Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Boolean:
                return value.AsBoolean();
            case ValueKind.Number:
                return double.IsFinite(value.AsNumber()) ? value.AsNumber() : null;
            case ValueKind.String:
                return value.AsString();
            case ValueKind.Array:
                {
                    var items = value.AsArray().AsSpan();
                    var list = new List<object?>(items.Length);
                    foreach (var item in items)
                    {
                        list.Add(FromValue(item));
                    }

                    return list;
                }

            case ValueKind.Object:
                {
                    var properties = value.AsObject();
                    var result = new JsObject(properties.Count);
                    foreach (var (key, property) in properties)
                    {
                        result[key] = FromValue(property);
                    }

                    return result;
                }

            default:
                return null;
        }
    }

    public static JsObject ObjectFromValue(Value value) => FromValue(value) as JsObject ?? [];

    /// <summary>Encodes variables as stored in an output.</summary>
    public static Value Encode(IEnumerable<KeyValuePair<string, Variable>> variables)
    {
        var result = new List<KeyValuePair<string, Value>>(variables.TryGetNonEnumeratedCount(out var count) ? count : 4);
        foreach (var (key, variable) in variables)
        {
            result.Add(new(key, Encode(variable)));
        }

        return Value.Object(result);
    }

    /// <summary>One variable as stored: <c>{type, items, value}</c>, without <c>value</c> when it is undefined.</summary>
    private static Value Encode(Variable variable) => variable.Value == Js.Undefined
        ? Value.Object(("type", variable.Type), ("items", variable.ItemsType))
        : Value.Object(("type", variable.Type), ("items", variable.ItemsType), ("value", ToValue(variable.Value)));

    /// <summary>Adds encoded variables to <paramref name="store"/> under <paramref name="nodeId"/>; null adds nothing.</summary>
    public static void Decode(Value encoded, string nodeId, VariableStore store)
    {
        if (encoded.Kind != ValueKind.Object)
        {
            return;
        }

        foreach (var (key, field) in encoded.AsObject())
        {
            var value = field.TryGetProperty("value", out var v) ? FromValue(v) : Js.Undefined;
            store.Set(nodeId, key, new Variable(value, Text(field["type"]), Text(field["items"])));
        }
    }

    /// <summary>
    /// The variables a node's declared outputs create (§1.6), encoded: each output's value, or when it is null or
    /// undefined its parsed default. The values are taken from <paramref name="converted"/> (<see cref="ToValue"/> of
    /// <paramref name="outputs"/>), not converted a second time; without <paramref name="outputs"/> (outputs that never
    /// were JS values) a missing or null output is the one that takes the default.
    /// </summary>
    public static Value EncodeDeclared(FlowNode node, JsObject? outputs, Value converted, PairBuffer buffer)
    {
        var declared = node.DeclaredOutputs;
        if (declared.Length == 0)
        {
            return Value.EmptyObject;
        }

        foreach (var output in declared)
        {
            var given = outputs is null
                ? converted.TryGetProperty(output.Key, out var stored) && !stored.IsNull
                : outputs.TryGetValue(output.Key, out var raw) && !Js.IsNil(raw);
            var value = given ? converted[output.Key] : DefaultOf(output);
            buffer.Add(output.Key, EncodeVariable(output.Type, output.ItemsType, value));
        }

        return buffer.Build();
    }

    /// <summary>One variable as stored: <c>{type, items, value}</c>, without <c>value</c> when it is undefined (null).</summary>
    public static Value EncodeVariable(Value type, Value itemsType, Value? value) => value is { } present
        ? Value.Object(("type", type), ("items", itemsType), ("value", present))
        : Value.Object(("type", type), ("items", itemsType));

    /// <summary>A declared output's default as stored; null when it is undefined.</summary>
    public static Value? DefaultOf(DeclaredOutput output)
    {
        var value = output.DefaultValue();
        return ReferenceEquals(value, Js.Undefined) ? default(Value?) : ToValue(value);
    }

    /// <summary>The <c>global</c> variables of a schema: <c>globalVariable</c> defaults (§1.6).</summary>
    public static Value Globals(JsObject? globalVariable)
    {
        var variables = new List<KeyValuePair<string, Variable>>();
        if (globalVariable?.GetValueOrDefault("properties") is JsObject properties)
        {
            foreach (var (key, raw) in properties)
            {
                var property = raw as JsObject ?? [];
                var type = property.GetValueOrDefault("type") as string;
                var value = property.TryGetValue("default", out var dflt) ? FlowValues.ParseDeclared(dflt, type) : Js.Undefined;
                var itemsType = (property.GetValueOrDefault("items") as JsObject)?.GetValueOrDefault("type") as string;
                variables.Add(new(key, new Variable(value, type, itemsType)));
            }
        }

        return Encode(variables);
    }

    /// <summary>Builds the variable store of a node from its <c>refs</c> parameter (<c>{storeId: encoded variables}</c>).</summary>
    public static VariableStore Store(Value refs)
    {
        var store = new VariableStore();
        if (refs.Kind == ValueKind.Object)
        {
            foreach (var (id, encoded) in refs.AsObject())
            {
                Decode(encoded, id, store);
            }
        }

        return store;
    }

    public static JsonObject ToJsonObject(Value value) => value.Kind == ValueKind.Object ? (JsonNode.Parse(value.ToJson()) as JsonObject ?? []) : [];

    private static Value ObjectToValue(JsObject o)
    {
        if (o.Count == 0)
        {
            return Value.EmptyObject;
        }

        var properties = new List<KeyValuePair<string, Value>>(o.Count);
        foreach (var (key, item) in o)
        {
            if (!ReferenceEquals(item, Js.Undefined))
            {
                properties.Add(new(key, ToValue(item)));
            }
        }

        return Value.Object(properties);
    }

    private static Value ArrayToValue(List<object?> list)
    {
        if (list.Count == 0)
        {
            return Value.EmptyArray;
        }

        var items = new Value[list.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ToValue(list[i]);
        }

        return Value.From(new ValueArray(items));
    }

    /// <summary>A stored type name: the string, or null for anything else.</summary>
    public static string? Text(Value value) => value.Kind == ValueKind.String ? value.AsString() : null;
}
