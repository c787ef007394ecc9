using AgentFlow.Core.Diagnostics;
using System.Collections.Immutable;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Validation;

/// <summary>Checks one node: its expressions, its parameters against the kind's schema, and its settings.</summary>
internal sealed class NodeChecker(ValidationContext context, ValidationScope scope, ReferenceChecker references)
{
    public void Check(NodeDefinition node, ImmutableHashSet<string> ancestors)
    {
        var owner = $"node '{node.Id}'";
        references.Check(node.Parameters.References, ValidationContext.SubPath(node.Location, ".with"), node.Location, owner, ancestors);
        if (node.Fallback is not null)
        {
            references.Check(node.Fallback.References, ValidationContext.SubPath(node.Location, ".fallback"), node.Location, owner, ancestors);
        }

        if (node.Items is not null)
        {
            references.Check(node.Items.References, ValidationContext.SubPath(node.Location, ".items"), node.Location, owner, ancestors);
        }

        foreach (var branch in node.Branches.Where(b => b.When is not null))
        {
            references.Check(branch.When!.References, branch.Location.Path, branch.Location, owner, ancestors);
        }

        CheckSettings(node);
        if (!context.Catalog.TryGet(node.Kind, out var kind))
        {
            return;
        }

        switch (kind.Mode)
        {
            case ParameterMode.Schema:
                new ParameterChecker(context).CheckSchema(node, kind);
                break;
            case ParameterMode.Variables:
                CheckAssign(node);
                break;
            case ParameterMode.ChildInputs:
                new ParameterChecker(context).CheckSubworkflow(node, scope);
                break;
        }

        CheckControl(node);
    }

    private void CheckAssign(NodeDefinition node)
    {
        var shape = context.ObjectShape(node.Parameters, ValidationContext.SubPath(node.Location, ".with"));
        var variables = scope.Owner.Variables.Select(v => v.Name).ToList();
        foreach (var (key, _) in shape ?? [])
        {
            if (!variables.Contains(key))
            {
                context.Error(DiagnosticCodes.UnknownVariable, $"Node '{node.Id}' assigns variable '{key}', which the workflow does not declare.", context.Locate(node.Location, ".with" + ValidationContext.Child(key)), Suggestions.Closest(key, variables) is { } c ? $"did you mean '{c}'?" : "declare it under 'variables:'");
            }
        }
    }

    private void CheckControl(NodeDefinition node)
    {
        switch (node.Kind)
        {
            case "condition" when node.Branches.Length == 0 || node.Branches[0].When is null:
                context.Error(DiagnosticCodes.MissingSetting, $"Condition node '{node.Id}' has no 'if'.", node.Location, "add e.g. if: ${{ nodes.fetch.output.ok }}");
                break;
            case "switch" when !node.Branches.Any(b => b.When is not null):
                context.Error(DiagnosticCodes.MissingSetting, $"Switch node '{node.Id}' has no 'cases'.", node.Location, "add cases: [{ name: a, when: ... }]");
                break;
            case "break" or "continue" when !scope.InMap:
                context.Error(DiagnosticCodes.InvalidSetting, $"Node '{node.Id}' ({node.Kind}) is only meaningful inside a map body.", context.Locate(node.Location, ".kind"), "move it into the body of a map node");
                break;
            case "map":
                if (node.Items is null)
                {
                    context.Error(DiagnosticCodes.MissingSetting, $"Map node '{node.Id}' has no 'items'.", node.Location, "add e.g. items: ${{ nodes.fetch.output.items }}");
                }
                else if (ValidationContext.ConstantOf(node.Items) is { } items && items.Kind != ValueKind.Array)
                {
                    context.Error(DiagnosticCodes.ParameterType, $"'items' of map node '{node.Id}' is {DataTypes.Describe(items)}, not an array.", context.Locate(node.Location, ".items"));
                }

                if (node.Body is null)
                {
                    context.Error(DiagnosticCodes.MissingSetting, $"Map node '{node.Id}' has no 'body'.", node.Location, "add body: { nodes: [...] }");
                }

                if (node.Concurrency < 1)
                {
                    context.Error(DiagnosticCodes.InvalidSetting, $"'concurrency' of map node '{node.Id}' is {node.Concurrency}; it must be at least 1.", context.Locate(node.Location, ".concurrency"));
                }

                break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var branch in node.Branches)
        {
            if (!seen.Add(branch.Name))
            {
                context.Error(DiagnosticCodes.DuplicateBranch, $"Node '{node.Id}' has two branches named '{branch.Name}'.", branch.Location, "give each case a unique name");
            }
        }
    }

    private void CheckSettings(NodeDefinition node)
    {
        var retry = node.Retry;
        if (retry.MaxAttempts < 1)
        {
            Invalid(node, ".retry.maxAttempts", $"'maxAttempts' of node '{node.Id}' is {retry.MaxAttempts}; it must be at least 1.", "1 means no retry");
        }

        if (retry.Delay < TimeSpan.Zero)
        {
            Invalid(node, ".retry.delay", $"The retry delay of node '{node.Id}' is negative.", null);
        }

        if (retry.Multiplier <= 0 || double.IsNaN(retry.Multiplier))
        {
            Invalid(node, ".retry.multiplier", $"The retry multiplier of node '{node.Id}' is {retry.Multiplier}; it must be positive.", "use 2 to double the delay each attempt");
        }

        if (retry.Jitter is < 0 or > 1 || double.IsNaN(retry.Jitter))
        {
            Invalid(node, ".retry.jitter", $"The retry jitter of node '{node.Id}' is {retry.Jitter}; it must be between 0 and 1.", "0.2 randomises each delay by ±20%");
        }

        if (retry.MaxDelay is { } maxDelay && maxDelay < retry.Delay)
        {
            Invalid(node, ".retry.maxDelay", $"The retry maxDelay of node '{node.Id}' is shorter than its delay.", null);
        }

        if (node.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            Invalid(node, ".timeout", $"The timeout of node '{node.Id}' must be positive.", null);
        }

        if (node.OnError == ErrorStrategy.Fallback && node.Fallback is null)
        {
            context.Error(DiagnosticCodes.FallbackMismatch, $"Node '{node.Id}' has 'onError: fallback' but no 'fallback' value.", context.Locate(node.Location, ".onError"), "add 'fallback:' with the output to use on failure");
        }
        else if (node.OnError != ErrorStrategy.Fallback && node.Fallback is not null)
        {
            context.Warning(DiagnosticCodes.FallbackMismatch, $"Node '{node.Id}' has a 'fallback' value that is never used because onError is '{node.OnError.ToString().ToLowerInvariant()}'.", context.Locate(node.Location, ".fallback"), "set 'onError: fallback' or remove 'fallback'");
        }
    }

    private void Invalid(NodeDefinition node, string suffix, string message, string? hint) =>
        context.Error(DiagnosticCodes.InvalidSetting, message, context.Locate(node.Location, suffix), hint);
}
