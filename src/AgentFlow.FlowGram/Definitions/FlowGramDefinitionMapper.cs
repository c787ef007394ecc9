using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Definitions;

/// <summary>
/// Maps a FlowGram schema onto our definition model, which the AgentFlow runtime executes: node types become kinds
/// <c>flowgram.&lt;type&gt;</c> (unknown types <c>flowgram.unknown</c>), a condition's <c>sourcePortID</c> the edge's
/// branch (chosen by its executor), and a loop one node of kind <c>flowgram.loop</c> whose body the runtime runs
/// once per item, sequentially, as for a map node (see <see cref="LoopExecutor"/>).
/// </summary>
/// <remarks>
/// Only nodes the reference can reach are mapped: from the start node (or a body's block-start) along edges of
/// non-terminating nodes, and only when every predecessor is mapped too (js-core runs a node once all of its
/// <c>prev</c> have executed, §3.2). Each node's parameters carry the schema node and, per node id it refers to, an
/// expression reading that node's stored variables, so the executor rebuilds FlowGram's variable context from the
/// execution state.
/// </remarks>
public static class FlowGramDefinitionMapper
{
    /// <summary>The kind name of a FlowGram node type.</summary>
    public static string KindOf(string type) =>
        type switch
        {
            "break" => NodeKinds.Break,
            "continue" => NodeKinds.Continue,
            "loop" => FlowGramNodes.Loop,
            _ when FlowGramNodes.Types.Contains(type) => FlowGramNodes.Prefix + type,
            _ => FlowGramNodes.Unknown,
        };

    /// <summary>A workflow id for a schema: <c>flowgram-</c> and the start of the SHA-256 of its text.</summary>
    public static string WorkflowIdOf(string schema) =>
        "flowgram-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema ?? string.Empty)))[..12];

    /// <summary>Maps a FlowGram schema (JSON text) to a definition.</summary>
    /// <exception cref="FlowGramException">The text is not a JSON object or its document cannot be built.</exception>
    public static WorkflowDefinition Map(string schema, string id, string? file = null)
    {
        JsObject root;
        try
        {
            root = Js.Parse(schema) as JsObject ?? throw new FlowGramException("Workflow schema must be a valid object");
        }
        catch (JsonException ex)
        {
            throw new FlowGramException(ex.Message, ex);
        }

        return Map(root, FlowDocument.Build(root), id, file);
    }

    internal static WorkflowDefinition Map(JsObject root, FlowDocument document, string id, string? file)
    {
        var context = new MapContext(root, file, VariableCodec.Globals(document.GlobalVariable));
        var topLevel = document.Nodes.Where(n => n.Parent is null).ToList();
        var visible = ImmutableDictionary<string, ValueTemplate>.Empty.Add("global", ValueTemplate.Constant(context.Globals));
        var definition = MapLevel(context, topLevel, document.Start, visible, id, "$", null);

        // The execution's outputs are the FlowGram result: what the end node output (§3.9), for runs show and listings.
        var end = topLevel.FirstOrDefault(n => n.Type == "end" && definition.Nodes.Any(d => d.Id == n.Id));
        return end is null ? definition : definition with { Outputs = [new WorkflowOutput("result", Read(end.Id, "outputs"), new SourceLocation(file, 0, 0, "$"))] };
    }

    /// <summary>The definition of a task that failed validation: one node that fails with <paramref name="errors"/>.</summary>
    internal static WorkflowDefinition Invalid(string id, IReadOnlyList<string> errors) => new()
    {
        Id = id,
        AllowUndeclaredInputs = true,
        Nodes =
        [
            new NodeDefinition
            {
                Id = "validation",
                Kind = FlowGramNodes.Invalid,
                Parameters = ValueTemplate.Constant(Value.Object(("errors", Value.Array(errors.Select(e => Value.From(e)))))),
            },
        ],
    };

    private static WorkflowDefinition MapLevel(MapContext context, List<FlowNode> level, FlowNode? entry, ImmutableDictionary<string, ValueTemplate> outer, string id, string path, FlowNode? recordingLoop, FlowNode? unrecorded = null, FlowNode? unrecordedEnd = null)
    {
        var included = Reachable(level, entry);
        var visible = outer;
        foreach (var node in included)
        {
            if (node != unrecorded && node != unrecordedEnd)
            {
                visible = visible.SetItem(node.Id, Read(node.Id, "vars"));
            }
        }

        var nodes = ImmutableArray.CreateBuilder<NodeDefinition>();
        var edges = ImmutableArray.CreateBuilder<EdgeDefinition>();
        foreach (var node in included.Where(n => n != unrecorded && n != unrecordedEnd))
        {
            var nodePath = context.PathOf(node, path);
            var location = new SourceLocation(context.File, 0, 0, nodePath);
            if (node.Type == "loop")
            {
                nodes.Add(MapLoop(context, node, visible, id, nodePath, location));
            }
            else
            {
                nodes.Add(MapNode(node, visible, recordingLoop is not null && node == entry ? recordingLoop : null, location));
            }

            if (node.IsTerminating)
            {
                continue;
            }

            var branching = IsBranching(node);
            foreach (var edge in node.Next.Where(e => included.Contains(e.To)))
            {
                edges.Add(new EdgeDefinition(node.Id, edge.To.Id, branching ? edge.SourcePort : null, null, location));
            }
        }

        return new WorkflowDefinition
        {
            Id = id,
            AllowUndeclaredInputs = true,
            Nodes = nodes.ToImmutable(),
            Edges = edges.ToImmutable(),
            Location = new SourceLocation(context.File, 0, 0, path),
        };
    }

    private static NodeDefinition MapNode(FlowNode node, ImmutableDictionary<string, ValueTemplate> visible, FlowNode? loopOfEntry, SourceLocation location)
    {
        var parameters = new List<KeyValuePair<string, ValueTemplate>>
        {
            new("node", ValueTemplate.Constant(RawNode(node))),
            new("refs", Refs(node, visible)),
        };
        if (node.Type == "start")
        {
            parameters.Add(new("inputs", Expr("inputs")));
        }

        var branching = IsBranching(node);
        if (branching)
        {
            parameters.Add(new("ports", ValueTemplate.Constant(Value.Array(node.Next.Select(e => Value.From(e.SourcePort)).Distinct()))));
        }

        if (!node.IsTerminating && node.Next.Count == 0 && !branching)
        {
            parameters.Add(new("noNext", ValueTemplate.Constant(true)));
        }

        if (loopOfEntry is not null)
        {
            parameters.Add(new("locals", ValueTemplate.Object(
            [
                new("item", Expr("item")),
                new("index", Expr("index")),
                new("itemsType", Read(loopOfEntry.Id, "itemsType")),
            ])));
        }

        return new NodeDefinition
        {
            Id = node.Id,
            Kind = KindOf(node.Type),
            Name = node.Title,
            Parameters = ValueTemplate.Object(parameters),
            BranchFromOutput = branching,
            Location = location,
        };
    }

    private static NodeDefinition MapLoop(MapContext context, FlowNode loop, ImmutableDictionary<string, ValueTemplate> visible, string id, string path, SourceLocation location)
    {
        var blockStart = loop.Children.FirstOrDefault(c => c.Type == "block-start");

        // <loopID>_locals is the item scope each iteration starts with: the body's nodes build it from there when they
        // refer to it, and block-start records nothing of it. A nested loop's body runs in iterations of its own,
        // whose item scope is the inner item: there block-start records the locals and the nodes read them from it.
        var recordsLocals = loop.Children.Any(c => c.Type == "loop");
        var locals = blockStart is null ? ValueTemplate.Constant(Value.Null) : recordsLocals ? Read(blockStart.Id, "locals") : ScopeLocals(loop);
        var inner = visible.SetItem(loop.LocalsId, locals);

        // A block-start that always succeeds with the empty output and that nothing reads is not run: the report
        // shows it once per iteration from the loop's parameters, as if each iteration had run it first.
        var unrecorded = blockStart is not null && !recordsLocals && IsUnread(blockStart, loop) ? blockStart : null;

        // So is a block-end that such a block-start leads to alone: it would run right after it in every iteration,
        // and the body runs nothing.
        var unrecordedEnd = unrecorded is { Next: [{ To: { Type: "block-end" } end }] } && end.Prev.Count == 1 && IsUnread(end, loop) ? end : null;
        var body = MapLevel(context, loop.Children, blockStart, inner, $"{id}.{loop.Id}", path, recordsLocals ? loop : null, unrecorded, unrecordedEnd);
        var bodyIds = body.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var outputs = ImmutableArray.CreateBuilder<WorkflowOutput>();
        outputs.Add(new WorkflowOutput("$done", ValueTemplate.Constant(true), location));
        foreach (var referenced in FlowGramReferences.Of(loop.Data.GetValueOrDefault("loopOutputs")))
        {
            if (bodyIds.Contains(referenced))
            {
                outputs.Add(new WorkflowOutput(referenced, Read(referenced, "vars"), location));
            }
        }

        var parameters = new List<KeyValuePair<string, ValueTemplate>>
        {
            new("node", ValueTemplate.Constant(RawNode(loop))),
            new("refs", Refs(loop, visible)),
            new("blockStart", ValueTemplate.Constant(blockStart is not null)),
        };
        if (unrecorded is not null)
        {
            parameters.Add(new(LoopExecutor.UnrecordedBlockStart, ValueTemplate.Constant(RawNode(unrecorded))));
        }

        if (unrecordedEnd is not null)
        {
            parameters.Add(new(LoopExecutor.UnrecordedBlockEnd, ValueTemplate.Constant(RawNode(unrecordedEnd))));
        }

        return new NodeDefinition
        {
            Id = loop.Id,
            Kind = FlowGramNodes.Loop,
            Name = loop.Title,
            Parameters = ValueTemplate.Object(parameters),
            Concurrency = 1,
            Body = body with { Outputs = outputs.ToImmutable() },
            Location = location,
        };
    }

    /// <summary>Nodes js-core can run: reached from <paramref name="entry"/>, with every predecessor reachable too.</summary>
    private static List<FlowNode> Reachable(List<FlowNode> level, FlowNode? entry)
    {
        var included = new List<FlowNode>();
        if (entry is null || !level.Contains(entry))
        {
            return included;
        }

        var set = new HashSet<FlowNode> { entry };
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var node in level)
            {
                if (!set.Contains(node)
                    && node.Prev.Any(e => set.Contains(e.From) && !e.From.IsTerminating)
                    && node.Prev.All(e => set.Contains(e.From)))
                {
                    set.Add(node);
                    changed = true;
                }
            }
        }

        included.AddRange(level.Where(set.Contains));
        return included;
    }

    /// <summary>
    /// Whether running the block node <paramref name="block"/> records nothing anyone reads: no inputs or outputs
    /// declared (so the empty output), a next node unless it terminates (so no <c>has no next nodes</c> failure), and
    /// no reference to it in the body or in <c>loopOutputs</c>. A block-start's next nodes then start the iteration
    /// themselves, as they would right after it.
    /// </summary>
    private static bool IsUnread(FlowNode block, FlowNode loop) =>
        !block.DeclaresInputs && block.DeclaredOutputs.Length == 0 && (block.IsTerminating || block.Next.Count > 0)
        && !FlowGramReferences.Of(loop.Data.GetValueOrDefault("loopOutputs")).Contains(block.Id)
        && !loop.Children.Any(c => FlowGramReferences.Of(new JsObject { ["data"] = c.Data, ["inputsValues"] = c.InputsValues }).Contains(block.Id));

    private static bool IsBranching(FlowNode node) => node.Type == "condition" && node.Data.GetValueOrDefault("conditions") is List<object?>;

    private static ValueTemplate Refs(FlowNode node, ImmutableDictionary<string, ValueTemplate> visible)
    {
        var data = new JsObject { ["data"] = node.Data, ["inputsValues"] = node.InputsValues };
        var refs = new List<KeyValuePair<string, ValueTemplate>>();
        foreach (var id in FlowGramReferences.Of(data))
        {
            if (visible.TryGetValue(id, out var read))
            {
                refs.Add(new(id, read));
            }
        }

        return ValueTemplate.Object(refs);
    }

    /// <summary>The schema node without nested blocks (they are mapped to the body), as recorded in its parameters.</summary>
    private static Value RawNode(FlowNode node)
    {
        var data = new JsObject();
        foreach (var (key, value) in node.Data)
        {
            data[key] = value;
        }

        if (node.Title is not null)
        {
            data["title"] = node.Title;
        }
        if (node.InputsValues is not null)
        {
            data["inputsValues"] = node.InputsValues;
        }

        if (node.Inputs is not null)
        {
            data["inputs"] = node.Inputs;
        }

        if (node.Outputs is not null)
        {
            data["outputs"] = node.Outputs;
        }

        return VariableCodec.ToValue(new JsObject { ["id"] = node.Id, ["type"] = node.Type, ["data"] = data });
    }

    /// <summary>
    /// <c>&lt;loopID&gt;_locals</c> built from the iteration's item scope: what block-start records in a body with a
    /// nested loop (see <see cref="FlowGramNodeExecutor"/>), <c>{item: {type, items, value}, index: {...}}</c>.
    /// </summary>
    private static ValueTemplate ScopeLocals(FlowNode loop) => ValueTemplate.Object(
    [
        new("item", ValueTemplate.Object([new("type", Read(loop.Id, "itemsType")), new("items", ValueTemplate.Constant(Value.Null)), new("value", Expr("item"))])),
        new("index", ValueTemplate.Object([new("type", ValueTemplate.Constant("number")), new("items", ValueTemplate.Constant(Value.Null)), new("value", Expr("index"))])),
    ]);

    private static ValueTemplate Read(string nodeId, string? field) =>
        Expr($"nodes['{nodeId.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'].output{(field is null ? string.Empty : "." + field)}");

    private static ValueTemplate Expr(string expression) => ValueTemplate.ParseString("${{ " + expression + " }}");

    private sealed class MapContext(JsObject root, string? file, Value globals)
    {
        private Dictionary<string, string>? _paths;

        public string? File { get; } = file;

        public Value Globals { get; } = globals;

        /// <summary>The JSON path of a node in the schema (<c>$.nodes[2].blocks[0]</c>).</summary>
        public string PathOf(FlowNode node, string fallback)
        {
            if (_paths is null)
            {
                _paths = new Dictionary<string, string>(StringComparer.Ordinal);
                Index(root, "nodes", "$");
            }

            return _paths.GetValueOrDefault(node.Id, fallback);
        }

        private void Index(JsObject container, string key, string path)
        {
            if (container.GetValueOrDefault(key) is not List<object?> list)
            {
                return;
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is JsObject raw)
                {
                    var nodePath = $"{path}.{key}[{i}]";
                    _paths!.TryAdd(Js.ToJsString(raw.GetValueOrDefault("id", Js.Undefined)), nodePath);
                    Index(raw, "blocks", nodePath);
                }
            }
        }
    }
}
