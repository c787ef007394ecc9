using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Validation;

/// <summary>Validates workflow inputs against the start node's output schema with js-core's messages (§1.9).</summary>
internal static class InputValidator
{
    /// <summary>The error message, or null when the inputs are valid.</summary>
    public static string? Validate(JsObject? schema, JsObject inputs)
    {
        if (schema is null)
        {
            return "JSON Schema validation failed: Validation error: Cannot read properties of undefined (reading '$ref')";
        }

        var error = Check(schema, inputs, "root");
        return error is null ? null : $"JSON Schema validation failed: {error}";
    }

    private static string? Check(JsObject schema, object? value, string path)
    {
        if (schema.ContainsKey("$ref"))
        {
            return null;
        }

        if (schema.GetValueOrDefault("enum") is List<object?> { Count: > 0 } options && !options.Any(o => StrictEquals(o, value)))
        {
            return $"Value at {path} must be one of: {string.Join(", ", options.Select(Js.ToJsString))}, but got: {Js.Stringify(value)}";
        }

        var type = schema.GetValueOrDefault("type", Js.Undefined);
        switch (type)
        {
            case "boolean":
                return value is bool ? null : $"Expected boolean at {path}, but got: {Js.TypeOf(value)}";
            case "string":
                return value is string ? null : $"Expected string at {path}, but got: {Js.TypeOf(value)}";
            case "integer":
                return Js.IsInteger(value) ? null : $"Expected integer at {path}, but got: {Js.Stringify(value)}";
            case "number":
                return value is double d && !double.IsNaN(d) ? null : $"Expected number at {path}, but got: {Js.Stringify(value)}";
            case "object":
            case "map":
                return CheckObject(schema, value, path, (string)type);
            case "array":
                if (value is not List<object?> list)
                {
                    return $"Expected array at {path}, but got: {Js.TypeOf(value)}";
                }

                if (schema.GetValueOrDefault("items") is JsObject items)
                {
                    // An item's path is built only for an item that fails: most arrays hold valid scalars.
                    var scalar = ScalarTest(items);
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

    private static string? CheckObject(JsObject schema, object? value, string path, string type)
    {
        if (Js.IsNil(value))
        {
            return $"Expected {type} at {path}, but got: {Js.ToJsString(value)}";
        }

        if (value is not JsObject obj)
        {
            return $"Expected {type} at {path}, but got: {(value is List<object?> ? "array" : Js.TypeOf(value))}";
        }

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
    private static Func<object?, bool>? ScalarTest(JsObject schema) =>
        schema.ContainsKey("$ref") || schema.ContainsKey("enum") ? null : schema.GetValueOrDefault("type", Js.Undefined) switch
        {
            "boolean" => static value => value is bool,
            "string" => static value => value is string,
            "integer" => Js.IsInteger,
            "number" => static value => value is double d && !double.IsNaN(d),
            _ => null,
        };

    private static string Child(string path, string key) => path == "root" ? key : $"{path}.{key}";

    private static bool StrictEquals(object? a, object? b) => a switch
    {
        null => b is null,
        string s => b is string t && s == t,
        double d => b is double e && d == e,
        bool x => b is bool y && x == y,
        _ => ReferenceEquals(a, b),
    };
}
