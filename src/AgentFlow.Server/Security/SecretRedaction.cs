using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Server.Security;

/// <summary>
/// Masks the values of inputs declared <c>secret</c> wherever they show up in what the API returns: not only the
/// inputs themselves but also node parameters, outputs and errors that embed them (e.g. an
/// <c>Authorization: Bearer …</c> header built from a secret input).
/// </summary>
internal static class SecretRedaction
{
    // Shorter values would mask ordinary words and numbers everywhere while protecting little.
    private const int MinimumLength = 4;

    /// <summary>The secret input values of an execution, longest first (so a secret containing another is masked whole).</summary>
    public static string[] ValuesOf(ExecutionStarted started)
    {
        ArgumentNullException.ThrowIfNull(started);
        if (started.SecretInputs is not { Count: > 0 } names || started.Inputs.Kind != ValueKind.Object)
        {
            return [];
        }

        var values = new List<string>();
        foreach (var name in names)
        {
            if (started.Inputs.AsObject().TryGetValue(name, out var value))
            {
                Collect(value, values);
            }
        }

        return [.. values.Where(v => v.Length >= MinimumLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];
    }

    /// <summary>The secret values of the execution whose log starts with <paramref name="events"/>; none without its start.</summary>
    public static string[] ValuesOf(IReadOnlyList<ExecutionEvent> events) =>
        events is [ExecutionStarted started, ..] ? ValuesOf(started) : [];

    /// <summary>Replaces every occurrence of a secret in the string values of <paramref name="node"/> with <see cref="ExecutionReport.Redacted"/>.</summary>
    public static JsonNode? Redact(JsonNode? node, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0 || node is null)
        {
            return node;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    // Only a masked string is a new node; re-assigning a node that already has this parent would throw.
                    if (Redact(child, secrets) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        obj[key] = replaced;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Redact(array[i], secrets) is var replaced && !ReferenceEquals(replaced, array[i]))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                var masked = Mask(text, secrets);
                return ReferenceEquals(masked, text) ? value : JsonValue.Create(masked);
            default:
                return node;
        }
    }

    private static string Mask(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, ExecutionReport.Redacted, StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static void Collect(Value value, List<string> into)
    {
        switch (value.Kind)
        {
            case ValueKind.String:
                into.Add(value.AsString());
                break;
            case ValueKind.Object:
                foreach (var (_, child) in value.AsObject())
                {
                    Collect(child, into);
                }

                break;
            case ValueKind.Array:
                foreach (var child in value.AsArray())
                {
                    Collect(child, into);
                }

                break;
        }
    }
}
