using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentFlow.FlowGram.Values;

/// <summary>Resolves FlowGram flow values (<c>constant</c>/<c>ref</c>/<c>template</c>) and node inputs (§1.5, §1.8).</summary>
internal static partial class FlowValues
{
    /// <summary>Resolves one flow value; null means "no value".</summary>
    /// <exception cref="FlowGramException">The value type is unknown or unsupported.</exception>
    public static Variable? Resolve(object? flowValue, string? declaredType, VariableStore store)
    {
        var value = flowValue as JsObject;
        var type = value?.GetValueOrDefault("type", Js.Undefined) ?? Js.Undefined;
        var content = value?.GetValueOrDefault("content", Js.Undefined) ?? Js.Undefined;
        switch (type)
        {
            case "constant":
                return Constant(content, declaredType);
            case "ref":
                return Ref(content, store);
            case "template":
                if (content is not string { Length: > 0 } template)
                {
                    return null;
                }

                return new Variable(Render(template, store), "string");
            case string other when other.Length > 0:
                throw new FlowGramException($"Unknown flow value type: {other}");
            default:
                throw new FlowGramException($"Invalid flow value type: {Js.ToJsString(type)}");
        }
    }

    /// <summary>A ref value; null when the content is short or the variable is not found.</summary>
    public static Variable? Ref(object? content, VariableStore store) => ReferenceOf(content) is { } reference ? store.Get(reference) : null;

    /// <summary>The path of a ref value's content as strings; null when it has fewer than two parts.</summary>
    public static string[]? ReferenceOf(object? content)
    {
        if (content is not List<object?> { Count: >= 2 } path)
        {
            return null;
        }

        var reference = new string[path.Count];
        for (var i = 0; i < reference.Length; i++)
        {
            reference[i] = Js.ToJsString(path[i]);
        }

        return reference;
    }

    /// <summary>Renders <c>{{a.b.c}}</c> placeholders with JS <c>String()</c> rules; unresolved refs become empty.</summary>
    public static string Render(string template, VariableStore store) =>
        Placeholder().Replace(template, match =>
        {
            var path = match.Groups[1].Value.Trim().Split('.');
            var variable = path.Length >= 2 ? store.Get(path) : null;
            return variable is null ? string.Empty : Js.ToJsString(variable.Value);
        });

    /// <summary>The node's declared and type-matching inputs (§1.8); undefined values are kept as keys.</summary>
    public static JsObject ParseInputs(JsObject? schema, JsObject? values, VariableStore store)
    {
        var inputs = new JsObject();
        if (schema is null || values is null)
        {
            return inputs;
        }

        var properties = schema.GetValueOrDefault("properties") as JsObject;
        foreach (var (key, flowValue) in values)
        {
            if (properties?.GetValueOrDefault(key) is not JsObject property)
            {
                continue;
            }

            var declared = property.GetValueOrDefault("type") as string;
            var resolved = Resolve(flowValue, declared, store);
            if (resolved is null || !RuntimeTypes.IsTypeEqual(resolved.Type, declared))
            {
                continue;
            }

            inputs[key] = resolved.Value;
        }

        return inputs;
    }

    /// <summary>JSON-parses a string when the declared type is a container, keeping the string when it is not JSON.</summary>
    public static object? ParseDeclared(object? value, string? declaredType)
    {
        if (value is string text && declaredType is "object" or "array" or "map")
        {
            try
            {
                return Js.Parse(text);
            }
            catch (JsonException)
            {
                return text;
            }
        }

        return value;
    }

    private static Variable? Constant(object? content, string? declaredType)
    {
        if (Js.IsNil(content))
        {
            return null;
        }

        var value = ParseDeclared(content, declaredType);
        return new Variable(value, declaredType ?? RuntimeTypes.Infer(value));
    }

    [GeneratedRegex(@"\{\{([^\}]+)\}\}")]
    private static partial Regex Placeholder();
}
