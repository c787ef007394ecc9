using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Validation;

/// <summary>Validates workflow inputs against the start node's output schema with js-core's messages (§1.9).</summary>
/// <remarks>
/// Checks the inputs in their stored form (what <see cref="VariableCodec.ToValue"/> of their JS values gives: JSON
/// inputs hold no undefined and no non-finite number), so a run converts its inputs once; a value a message shows is
/// converted to its JS value then, and shown with the JS rules.
/// </remarks>
internal static class InputValidator
{
    /// <summary>The error message, or null when the inputs are valid.</summary>
    public static string? Validate(JsObject? schema, Value inputs)
    {
        if (schema is null)
        {
            return "JSON Schema validation failed: Validation error: Cannot read properties of undefined (reading '$ref')";
        }

        var error = Check(schema, inputs, "root");
        return error is null ? null : $"JSON Schema validation failed: {error}";
    }

    private static string? Check(JsObject schema, Value value, string path)
    {
        if (schema.ContainsKey("$ref"))
        {
            return null;
        }

        if (schema.GetValueOrDefault("enum") is List<object?> { Count: > 0 } options && !options.Any(o => StrictEquals(o, value)))
        {
            return $"Value at {path} must be one of: {string.Join(", ", options.Select(Js.ToJsString))}, but got: {Stringify(value)}";
        }

        var type = schema.GetValueOrDefault("type", Js.Undefined);
        switch (type)
        {
            case "boolean":
                return value.Kind == ValueKind.Boolean ? null : $"Expected boolean at {path}, but got: {TypeOf(value)}";
            case "string":
                return value.Kind == ValueKind.String ? null : $"Expected string at {path}, but got: {TypeOf(value)}";
            case "integer":
                return IsInteger(value) ? null : $"Expected integer at {path}, but got: {Stringify(value)}";
            case "number":
                return IsNumber(value) ? null : $"Expected number at {path}, but got: {Stringify(value)}";
            case "object":
            case "map":
                return CheckObject(schema, value, path, (string)type);
            case "array":
                if (value.Kind != ValueKind.Array)
                {
                    return $"Expected array at {path}, but got: {TypeOf(value)}";
                }

                if (schema.GetValueOrDefault("items") is JsObject items)
                {
                    // An item's path is built only for an item that fails: most arrays hold valid scalars.
                    var scalar = ScalarTest(items);
                    var list = value.AsArray();
                    for (var i = 0; i < list.Count; i++)
                    {
                        if ((scalar is null || !scalar(list[i])) && Check(items, list[i], $"{path}[{i}]") is { } error)
                        {
                            return error;
                        }
                    }
                }

                return null;
            default:
                return $"Unknown type \"{Js.ToJsString(type)}\" at {path}";
        }
    }

    private static string? CheckObject(JsObject schema, Value value, string path, string type)
    {
        if (value.IsNull)
        {
            return $"Expected {type} at {path}, but got: null";
        }

        if (value.Kind != ValueKind.Object)
        {
            return $"Expected {type} at {path}, but got: {(value.Kind == ValueKind.Array ? "array" : TypeOf(value))}";
        }

        var obj = value.AsObject();
        var properties = schema.GetValueOrDefault("properties") as JsObject;
        if (type == "object")
        {
            foreach (var required in schema.GetValueOrDefault("required") as List<object?> ?? [])
            {
                if (required is string key && !obj.ContainsKey(key))
                {
                    return $"Missing required property \"{key}\" at {path}";
                }
            }

            foreach (var (key, propertySchema) in properties ?? [])
            {
                if (obj.TryGetValue(key, out var child) && propertySchema is JsObject ps && Check(ps, child, Child(path, key)) is { } error)
                {
                    return error;
                }
            }
        }

        if (schema.GetValueOrDefault("additionalProperties") is JsObject additional)
        {
            foreach (var (key, child) in obj)
            {
                if ((type == "map" || properties is null || !properties.ContainsKey(key)) && Check(additional, child, Child(path, key)) is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// For a schema of one scalar type without <c>enum</c> or <c>$ref</c>: a test that is true exactly when
    /// <see cref="Check"/> finds no error; null for any other schema (those are checked in full).
    /// </summary>
    private static Func<Value, bool>? ScalarTest(JsObject schema) =>
        schema.ContainsKey("$ref") || schema.ContainsKey("enum") ? null : schema.GetValueOrDefault("type", Js.Undefined) switch
        {
            "boolean" => static value => value.Kind == ValueKind.Boolean,
            "string" => static value => value.Kind == ValueKind.String,
            "integer" => IsInteger,
            "number" => IsNumber,
            _ => null,
        };

    private static bool IsInteger(Value value) =>
        value.Kind == ValueKind.Number && double.IsFinite(value.AsNumber()) && Math.Floor(value.AsNumber()) == value.AsNumber();

    private static bool IsNumber(Value value) => value.Kind == ValueKind.Number && !double.IsNaN(value.AsNumber());

    private static string Child(string path, string key) => path == "root" ? key : $"{path}.{key}";

    // Messages show values by the JS rules, on the JS value the stored one stands for (rare: only for a failing input).
    private static string TypeOf(Value value) => Js.TypeOf(VariableCodec.FromValue(value));

    private static string Stringify(Value value) => Js.Stringify(VariableCodec.FromValue(value));

    /// <summary>JS <c>===</c> of an <c>enum</c> option (a JS value) and an input: objects and arrays are never equal.</summary>
    private static bool StrictEquals(object? option, Value value) => option switch
    {
        null => value.IsNull,
        string s => value.Kind == ValueKind.String && s == value.AsString(),
        double d => value.Kind == ValueKind.Number && d == value.AsNumber(),
        bool x => value.Kind == ValueKind.Boolean && x == value.AsBoolean(),
        _ => false,
    };
}
