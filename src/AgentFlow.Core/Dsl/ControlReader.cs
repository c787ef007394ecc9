using AgentFlow.Core.Definitions;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Validation;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>Reads the keys of control kinds (<c>if</c>, <c>cases</c>, <c>default</c>, <c>items</c>, <c>concurrency</c>, <c>body</c>, <c>workflow</c>) of one node.</summary>
internal sealed class ControlReader(DslContext context, WorkflowReader workflows)
{
    private readonly List<BranchDefinition> _branches = [];
    private bool _hasIf;

    public NodeDefinition Read(string key, YamlNode value, string path, NodeDefinition node)
    {
        switch (key)
        {
            case "if":
                _hasIf = true;
                var condition = context.Condition(value, path, $"'if' of node '{node.Id}'");
                _branches.Insert(0, new BranchDefinition("true", condition, context.Loc(value, path)));
                return node;
            case "cases":
                ReadCases(value, path, node.Id);
                return node;
            case "items":
                return node with { Items = context.Template(value, path) };
            case "concurrency":
                return node with { Concurrency = context.Integer(value, path, "'concurrency'") ?? node.Concurrency };
            case "body":
                var mapBody = node.Kind == "map";
                return node with { Body = workflows.Read(value, path, node.Id, mapBody) };
            case "workflow":
                return node with { WorkflowRef = context.String(value, path, "'workflow'") };
            default:
                return node;
        }
    }

    /// <summary>Adds the implicit branches: <c>false</c> for a condition, the <c>default:</c> branch for a switch.</summary>
    public NodeDefinition Complete(NodeDefinition node, YamlNode? defaultNode, string? defaultPath)
    {
        if (_hasIf)
        {
            _branches.Add(new BranchDefinition("false", null, node.Location));
        }

        if (defaultNode is not null && defaultPath is not null && node.Kind != "condition")
        {
            var name = context.String(defaultNode, defaultPath, "'default'");
            if (name is not null)
            {
                _branches.Add(new BranchDefinition(name, null, context.Loc(defaultNode, defaultPath)));
            }
        }

        return _branches.Count == 0 ? node : node with { Branches = [.. _branches] };
    }

    private void ReadCases(YamlNode value, string path, string nodeId)
    {
        if (value is not YamlSequenceNode sequence)
        {
            context.Error(DiagnosticCodes.WrongType, $"'cases' of node '{nodeId}' must be a list, not {DslContext.Describe(value)}.", value, path, "write e.g. cases: [{ name: high, when: \"${{ inputs.priority == 'high' }}\" }]");
            return;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var casePath = DslContext.Index(path, i);
            var mapping = context.Mapping(sequence.Children[i], casePath, "A case");
            if (mapping is null)
            {
                continue;
            }

            context.CheckKeys(mapping, casePath, DslKeys.Case, "a case");
            string? name = null;
            Expression? when = null;
            var hasWhen = false;
            foreach (var (key, _, child, childPath) in context.Entries(mapping, casePath))
            {
                if (key == "name")
                {
                    name = context.String(child, childPath, "The case name");
                }
                else if (key == "when")
                {
                    hasWhen = true;
                    when = context.Condition(child, childPath, $"case {i} of node '{nodeId}'");
                }
            }

            if (name is null)
            {
                context.Error(DiagnosticCodes.MissingKey, $"Case {i} of node '{nodeId}' has no 'name'.", mapping, casePath, "add e.g. 'name: high'; edges refer to it as node.name");
                continue;
            }

            if (!hasWhen)
            {
                context.Error(DiagnosticCodes.MissingKey, $"Case '{name}' of node '{nodeId}' has no 'when'.", mapping, casePath, "add a condition, or use 'default:' for the fallback branch");
            }

            _branches.Add(new BranchDefinition(name, when, context.Loc(mapping, casePath)));
        }
    }
}
