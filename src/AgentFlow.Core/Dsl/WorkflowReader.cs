using System.Collections.Frozen;
using System.Collections.Immutable;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Validation;
using AgentFlow.Core.Values;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>Reads a workflow mapping (top level, a child under <c>workflows:</c>, or a node body) into a definition.</summary>
internal sealed class WorkflowReader(DslContext context, NodeKindCatalog catalog)
{
    private static readonly FrozenDictionary<string, DataType> Types = new Dictionary<string, DataType>(StringComparer.Ordinal)
    {
        ["any"] = DataType.Any,
        ["string"] = DataType.String,
        ["number"] = DataType.Number,
        ["integer"] = DataType.Integer,
        ["boolean"] = DataType.Boolean,
        ["object"] = DataType.Object,
        ["array"] = DataType.Array,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Reads a workflow; <paramref name="defaultId"/> is used for bodies, which need no <c>id</c>.</summary>
    public WorkflowDefinition? Read(YamlNode node, string path, string? defaultId, bool mapBody)
    {
        var mapping = context.Mapping(node, path, mapBody ? "A map body" : "A workflow");
        if (mapping is null)
        {
            return null;
        }

        context.CheckKeys(mapping, path, mapBody ? DslKeys.MapBody : DslKeys.Workflow, mapBody ? "a map body" : "a workflow");
        var values = context.Entries(mapping, path).ToDictionary(e => e.Key, e => (e.Value, e.Path), StringComparer.Ordinal);
        var id = defaultId;
        if (values.TryGetValue("id", out var idEntry))
        {
            id = context.String(idEntry.Value, idEntry.Path, "The workflow id") ?? id;
        }
        else if (defaultId is null)
        {
            context.Error(DiagnosticCodes.MissingKey, "The workflow has no 'id'.", node, path, "add e.g. 'id: order-pipeline'");
        }

        var nodeReader = new NodeReader(context, catalog, this);
        var nodes = new List<NodeDefinition>();
        var edges = new List<EdgeDefinition>();
        if (values.TryGetValue("nodes", out var nodesEntry))
        {
            nodeReader.ReadNodes(nodesEntry.Value, nodesEntry.Path, nodes, edges);
        }
        else
        {
            context.Error(DiagnosticCodes.MissingKey, "The workflow has no 'nodes'.", node, path, "add a 'nodes:' list");
        }

        if (values.TryGetValue("edges", out var edgesEntry))
        {
            nodeReader.ReadEdges(edgesEntry.Value, edgesEntry.Path, edges);
        }

        var workflow = new WorkflowDefinition
        {
            Id = id ?? string.Empty,
            Location = context.Loc(node, path),
            Nodes = [.. nodes],
            Edges = [.. edges],
        };
        foreach (var (key, (value, valuePath)) in values)
        {
            workflow = key switch
            {
                "name" => workflow with { Name = context.String(value, valuePath, "'name'") },
                "description" => workflow with { Description = context.String(value, valuePath, "'description'") },
                "version" => workflow with { Version = context.Integer(value, valuePath, "'version'") ?? 1 },
                "timeout" => workflow with { Timeout = context.Duration(value, valuePath, "'timeout'") },
                "inputs" => workflow with { Inputs = ReadInputs(value, valuePath) },
                "variables" => workflow with { Variables = ReadVariables(value, valuePath) },
                "outputs" => workflow with { Outputs = ReadOutputs(value, valuePath) },
                "workflows" => workflow with { Workflows = ReadChildren(value, valuePath) },
                _ => workflow,
            };
        }

        return workflow;
    }

    private ImmutableArray<WorkflowInput> ReadInputs(YamlNode node, string path)
    {
        var mapping = context.Mapping(node, path, "'inputs'");
        if (mapping is null)
        {
            return [];
        }

        var inputs = ImmutableArray.CreateBuilder<WorkflowInput>();
        foreach (var (name, keyNode, value, inputPath) in context.Entries(mapping, path))
        {
            var location = context.Loc(keyNode, inputPath);
            if (value is YamlScalarNode typeOnly)
            {
                var type = context.Keyword(typeOnly, inputPath, $"The type of input '{name}'", Types) ?? DataType.Any;
                inputs.Add(new WorkflowInput(name, type, false, null, [], null, false, location));
                continue;
            }

            var spec = context.Mapping(value, inputPath, $"Input '{name}'");
            if (spec is null)
            {
                continue;
            }

            context.CheckKeys(spec, inputPath, DslKeys.Input, $"input '{name}'");
            var input = new WorkflowInput(name, DataType.Any, false, null, [], null, false, location);
            foreach (var (key, _, child, childPath) in context.Entries(spec, inputPath))
            {
                input = key switch
                {
                    "type" => input with { Type = context.Keyword(child, childPath, $"The type of input '{name}'", Types) ?? DataType.Any },
                    "required" => input with { Required = context.Boolean(child, childPath, "'required'") ?? false },
                    "default" => input with { Default = DslContext.ToValue(child) },
                    "description" => input with { Description = context.String(child, childPath, "'description'") },
                    "secret" => input with { Secret = context.Boolean(child, childPath, "'secret'") ?? false },
                    "enum" => input with { AllowedValues = ReadEnum(child, childPath) },
                    _ => input,
                };
            }

            inputs.Add(input);
        }

        return inputs.ToImmutable();
    }

    private ImmutableArray<Value> ReadEnum(YamlNode node, string path)
    {
        if (node is YamlSequenceNode sequence)
        {
            return [.. sequence.Children.Select(DslContext.ToValue)];
        }

        context.Error(DiagnosticCodes.WrongType, $"'enum' must be a list, not {DslContext.Describe(node)}.", node, path, "write e.g. enum: [low, high]");
        return [];
    }

    private ImmutableArray<VariableDefinition> ReadVariables(YamlNode node, string path)
    {
        var mapping = context.Mapping(node, path, "'variables'");
        return mapping is null
            ? []
            : [.. context.Entries(mapping, path).Select(e => new VariableDefinition(e.Key, DslContext.ToValue(e.Value), context.Loc(e.KeyNode, e.Path)))];
    }

    private ImmutableArray<WorkflowOutput> ReadOutputs(YamlNode node, string path)
    {
        var mapping = context.Mapping(node, path, "'outputs'");
        if (mapping is null)
        {
            return [];
        }

        var outputs = ImmutableArray.CreateBuilder<WorkflowOutput>();
        foreach (var (name, keyNode, value, outputPath) in context.Entries(mapping, path))
        {
            var template = context.Template(value, outputPath);
            if (template is not null)
            {
                outputs.Add(new WorkflowOutput(name, template, context.Loc(keyNode, outputPath)));
            }
        }

        return outputs.ToImmutable();
    }

    private ImmutableDictionary<string, WorkflowDefinition> ReadChildren(YamlNode node, string path)
    {
        var mapping = context.Mapping(node, path, "'workflows'");
        var children = ImmutableDictionary.CreateBuilder<string, WorkflowDefinition>(StringComparer.Ordinal);
        if (mapping is null)
        {
            return children.ToImmutable();
        }

        foreach (var (key, _, value, childPath) in context.Entries(mapping, path))
        {
            var child = Read(value, childPath, key, mapBody: false);
            if (child is null)
            {
                continue;
            }

            if (child.Id != key)
            {
                context.Error(DiagnosticCodes.InvalidId, $"Child workflow '{key}' declares id '{child.Id}'; they must match.", value, childPath, $"set 'id: {key}' or remove the id");
            }

            children[key] = child;
        }

        return children.ToImmutable();
    }
}
