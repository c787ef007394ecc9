using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Validation;

/// <summary>
/// js-core's four schema validators (§1.10), each contributing at most one error, in order. TaskRun validates a
/// document whose nested blocks were already flattened away, so it passes <c>nested: false</c> (§1.4).
/// </summary>
internal static class SchemaValidator
{
    public static List<string> Validate(object? schema, bool nested)
    {
        var errors = new List<string>();
        Collect(errors, () => SchemaFormat(schema, nested));
        Collect(errors, () => Cycle(schema, nested));
        Collect(errors, () => EdgeEnds(schema, nested));
        Collect(errors, () => StartEnd(schema, nested));
        return errors;
    }

    private static void Collect(List<string> errors, Func<string?> validator)
    {
        try
        {
            if (validator() is { } error)
            {
                errors.Add(error);
            }
        }
        catch (FlowGramException ex)
        {
            errors.Add(ex.Message);
        }
    }

    private static string? SchemaFormat(object? schema, bool nested)
    {
        if (schema is not JsObject root)
        {
            return "Workflow schema must be a valid object";
        }

        if (root.GetValueOrDefault("nodes") is not List<object?> nodes)
        {
            return "Workflow schema must have a valid nodes array";
        }

        if (root.GetValueOrDefault("edges") is not List<object?> edges)
        {
            return "Workflow schema must have a valid edges array";
        }

        return CheckNodes(nodes, nested) ?? CheckEdges(edges);
    }

    private static string? CheckNodes(List<object?> nodes, bool nested)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var p = $"nodes[{i}]";
            if (nodes[i] is not JsObject node)
            {
                return $"{p} must be a valid object";
            }

            if (node.GetValueOrDefault("id") is not string { Length: > 0 })
            {
                return $"{p}.id must be a non-empty string";
            }

            if (node.GetValueOrDefault("type") is not string { Length: > 0 })
            {
                return $"{p}.type must be a non-empty string";
            }

            if (node.GetValueOrDefault("meta") is not JsObject)
            {
                return $"{p}.meta must be a valid object";
            }

            if (node.GetValueOrDefault("data") is not JsObject data)
            {
                return $"{p}.data must be a valid object";
            }

            var blocks = node.GetValueOrDefault("blocks");
            var nodeEdges = node.GetValueOrDefault("edges");
            if (nested && blocks is not null && blocks is not List<object?>)
            {
                return $"{p}.blocks must be an array if present";
            }

            if (nested && nodeEdges is not null && nodeEdges is not List<object?>)
            {
                return $"{p}.edges must be an array if present";
            }

            foreach (var key in (string[])["inputs", "outputs", "inputsValues"])
            {
                if (data.TryGetValue(key, out var v) && v is not null && v is not JsObject)
                {
                    return $"{p}.data.{key} must be a valid object if present";
                }
            }

            if (data.TryGetValue("title", out var title) && title is not null && title is not string)
            {
                return $"{p}.data.title must be a string if present";
            }

            if (nested && blocks is List<object?> children
                && (CheckNodes(children, nested) ?? CheckEdges(nodeEdges as List<object?> ?? [])) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckEdges(List<object?> edges)
    {
        for (var i = 0; i < edges.Count; i++)
        {
            var p = $"edges[{i}]";
            if (edges[i] is not JsObject edge)
            {
                return $"{p} must be a valid object";
            }

            if (edge.GetValueOrDefault("sourceNodeID") is not string { Length: > 0 })
            {
                return $"{p}.sourceNodeID must be a non-empty string";
            }

            if (edge.GetValueOrDefault("targetNodeID") is not string { Length: > 0 })
            {
                return $"{p}.targetNodeID must be a non-empty string";
            }

            foreach (var key in (string[])["sourcePortID", "targetPortID"])
            {
                if (edge.TryGetValue(key, out var port) && port is not null && port is not string)
                {
                    return $"{p}.{key} must be a string if present";
                }
            }
        }

        return null;
    }

    private static IEnumerable<(List<object?> Nodes, object? Edges)> Levels(object? schema, bool nested)
    {
        if (schema is not JsObject root)
        {
            yield break;
        }

        var stack = new Stack<(List<object?>, object?)>();
        stack.Push((root.GetValueOrDefault("nodes") as List<object?> ?? [], root.GetValueOrDefault("edges")));
        while (stack.Count > 0)
        {
            var level = stack.Pop();
            yield return level;
            if (!nested)
            {
                continue;
            }

            foreach (var node in level.Item1.OfType<JsObject>())
            {
                if (node.GetValueOrDefault("blocks") is List<object?> blocks)
                {
                    stack.Push((blocks, node.GetValueOrDefault("edges") ?? new List<object?>()));
                }
            }
        }
    }

    private static List<JsObject> EdgesOf(object? edges) =>
        edges is List<object?> list ? [.. list.OfType<JsObject>()] : throw new FlowGramException("edges.forEach is not a function");

    private static string? Cycle(object? schema, bool nested)
    {
        foreach (var (nodes, rawEdges) in Levels(schema, nested))
        {
            var edges = EdgesOf(rawEdges);
            var next = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var edge in edges)
            {
                var from = Js.ToJsString(edge.GetValueOrDefault("sourceNodeID", Js.Undefined));
                var to = Js.ToJsString(edge.GetValueOrDefault("targetNodeID", Js.Undefined));
                if (!next.TryGetValue(from, out var list))
                {
                    next[from] = list = [];
                }

                list.Add(to);
            }

            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            bool Visit(string id)
            {
                state[id] = 1;
                foreach (var to in next.GetValueOrDefault(id) ?? [])
                {
                    var s = state.GetValueOrDefault(to);
                    if (s == 1 || (s == 0 && Visit(to)))
                    {
                        return true;
                    }
                }

                state[id] = 2;
                return false;
            }

            foreach (var id in next.Keys.ToList())
            {
                if (state.GetValueOrDefault(id) == 0 && Visit(id))
                {
                    return "Workflow schema contains a cycle, which is not allowed";
                }
            }
        }

        return null;
    }

    private static string? EdgeEnds(object? schema, bool nested)
    {
        foreach (var (nodes, rawEdges) in Levels(schema, nested))
        {
            var ids = nodes.OfType<JsObject>().Select(n => n.GetValueOrDefault("id") as string).ToHashSet(StringComparer.Ordinal);
            foreach (var edge in EdgesOf(rawEdges))
            {
                var from = edge.GetValueOrDefault("sourceNodeID") as string;
                var to = edge.GetValueOrDefault("targetNodeID") as string;
                if (!ids.Contains(from))
                {
                    return $"Workflow schema edge source node \"{from}\" not exist";
                }

                if (!ids.Contains(to))
                {
                    return $"Workflow schema edge target node \"{to}\" not exist";
                }
            }
        }

        return null;
    }

    private static string? StartEnd(object? schema, bool nested)
    {
        if (schema is not JsObject root || root.GetValueOrDefault("nodes") is not List<object?> nodes)
        {
            return null;
        }

        var error = CountCheck(nodes, "start", "end", "Workflow schema", "an end node");
        if (error is not null || !nested)
        {
            return error;
        }

        var stack = new Stack<List<object?>>([nodes]);
        while (stack.Count > 0)
        {
            foreach (var node in stack.Pop().OfType<JsObject>())
            {
                if (node.GetValueOrDefault("blocks") is List<object?> blocks)
                {
                    if (CountCheck(blocks, "block-start", "block-end", "Workflow block schema", "an block-end node") is { } blockError)
                    {
                        return blockError;
                    }

                    stack.Push(blocks);
                }
            }
        }

        return null;
    }

    private static string? CountCheck(List<object?> nodes, string start, string end, string subject, string endPhrase)
    {
        var starts = nodes.OfType<JsObject>().Count(n => n.GetValueOrDefault("type") as string == start);
        var ends = nodes.OfType<JsObject>().Count(n => n.GetValueOrDefault("type") as string == end);
        var startPhrase = $"a {start} node";
        return (starts, ends) switch
        {
            (0, 0) => $"{subject} must have {startPhrase} and {endPhrase}",
            (0, _) => $"{subject} must have {startPhrase}",
            (_, 0) => $"{subject} must have {endPhrase}",
            ( > 1, _) => $"{subject} must have only one {start} node",
            (_, > 1) => $"{subject} must have only one {end} node",
            _ => null,
        };
    }
}
