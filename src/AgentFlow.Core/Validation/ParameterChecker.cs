using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Dsl;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Validation;

/// <summary>Checks a node's <c>with:</c> against its kind's parameter schema, or a sub-workflow call against the child's inputs.</summary>
internal sealed class ParameterChecker(ValidationContext context)
{
    public void CheckSchema(NodeDefinition node, NodeKindInfo kind)
    {
        var withPath = ValidationContext.SubPath(node.Location, ".with");
        if (ValidationContext.ConstantOf(node.Parameters) is { } constant && constant.Kind != ValueKind.Object)
        {
            context.Error(DiagnosticCodes.ParameterType, $"'with' of node '{node.Id}' must be an object of parameters, not {constant.KindName}.", context.Locate(node.Location, ".with"));
            return;
        }

        var shape = context.ObjectShape(node.Parameters, withPath);
        if (shape is null)
        {
            return; // Built in code from expressions: which keys exist is only known at run time.
        }

        var names = kind.Parameters.Select(p => p.Name).ToList();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in shape)
        {
            present.Add(key);
            var at = context.Locate(node.Location, ".with" + ValidationContext.Child(key));
            var parameter = kind.FindParameter(key);
            if (parameter is null)
            {
                context.Error(DiagnosticCodes.UnknownParameter, $"Kind '{kind.Name}' has no parameter '{key}' (node '{node.Id}').", at, names.Count == 0 ? $"'{kind.Name}' takes no parameters; remove 'with'" : Suggestions.Hint(key, names));
            }
            else if (value is { } v && !v.IsNull)
            {
                CheckValue(node, kind, parameter, v, at);
            }
        }

        var withAt = context.Locate(node.Location, ".with");
        foreach (var parameter in kind.Parameters.Where(p => p.Required && !present.Contains(p.Name)))
        {
            context.Error(DiagnosticCodes.MissingParameter, $"Node '{node.Id}' ({kind.Name}) is missing required parameter '{parameter.Name}'.", withAt, $"add 'with: {{ {parameter.Name}: ... }}'{(parameter.Description is null ? string.Empty : " — " + parameter.Description)}");
        }

        foreach (var group in kind.RequiredOneOf.Where(g => !g.Any(present.Contains)))
        {
            context.Error(DiagnosticCodes.MissingParameter, $"Node '{node.Id}' ({kind.Name}) needs one of: {string.Join(", ", group)}.", withAt, $"add e.g. 'with: {{ {group[0]}: ... }}'");
        }
    }

    public void CheckSubworkflow(NodeDefinition node, ValidationScope scope)
    {
        WorkflowDefinition? child = node.Body;
        if (node.Body is not null && node.WorkflowRef is not null)
        {
            context.Error(DiagnosticCodes.InvalidSetting, $"Sub-workflow node '{node.Id}' has both 'workflow' and 'body'.", node.Location, "keep one of them");
        }
        else if (node.Body is null && node.WorkflowRef is null)
        {
            context.Error(DiagnosticCodes.MissingSetting, $"Sub-workflow node '{node.Id}' has neither 'workflow' nor 'body'.", node.Location, "add 'workflow: <id under workflows:>' or an inline 'body:'");
        }
        else if (node.WorkflowRef is { } reference)
        {
            child = scope.FindWorkflow(reference);
            if (child is null)
            {
                var known = scope.WorkflowIds;
                context.Error(DiagnosticCodes.UnknownWorkflow, $"Sub-workflow node '{node.Id}' calls unknown workflow '{reference}'.", context.Locate(node.Location, ".workflow"), known.Count == 0 ? "declare it under 'workflows:'" : Suggestions.Hint(reference, known));
            }
        }

        var withPath = ValidationContext.SubPath(node.Location, ".with");
        var shape = context.ObjectShape(node.Parameters, withPath);
        if (child is null || shape is null)
        {
            return;
        }

        var inputs = child.Inputs.Select(i => i.Name).ToList();
        foreach (var (key, value) in shape)
        {
            var at = context.Locate(node.Location, ".with" + ValidationContext.Child(key));
            var input = child.Inputs.FirstOrDefault(i => i.Name == key);
            if (input is null)
            {
                context.Error(DiagnosticCodes.UnknownChildInput, $"Node '{node.Id}' passes '{key}', which workflow '{child.Id}' does not declare as an input.", at, inputs.Count == 0 ? "the child takes no inputs" : Suggestions.Hint(key, inputs));
            }
            else if (value is { IsNull: false } v && !DataTypes.Accepts(input.Type, v))
            {
                context.Error(DiagnosticCodes.ChildInputType, $"Node '{node.Id}' passes {DataTypes.Describe(v)} as '{key}', but workflow '{child.Id}' declares it {DataTypes.Name(input.Type)}.", at);
            }
            else if (value is { IsNull: false } allowed && input.AllowedValues.Length > 0 && !input.AllowedValues.Contains(allowed))
            {
                context.Error(DiagnosticCodes.ValueNotAllowed, $"Node '{node.Id}' passes {DataTypes.Describe(allowed)} as '{key}', which is not one of the values workflow '{child.Id}' allows.", at, $"use one of: {string.Join(", ", input.AllowedValues.Select(a => a.ToJson()))}");
            }
        }

        var present = shape.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var input in child.Inputs.Where(i => i.Required && i.Default is null && !present.Contains(i.Name)))
        {
            context.Error(DiagnosticCodes.MissingChildInput, $"Node '{node.Id}' does not pass required input '{input.Name}' of workflow '{child.Id}'.", context.Locate(node.Location, ".with"), $"add 'with: {{ {input.Name}: ... }}'");
        }
    }

    private void CheckValue(NodeDefinition node, NodeKindInfo kind, ParameterInfo parameter, Value value, Diagnostics.SourceLocation at)
    {
        if (parameter.IsDuration)
        {
            var ok = value.Kind == ValueKind.Number || (value.Kind == ValueKind.String && Duration.TryParse(value.AsString(), out _));
            if (!ok)
            {
                context.Error(DiagnosticCodes.ParameterType, $"Parameter '{parameter.Name}' of node '{node.Id}' is {DataTypes.Describe(value)}, not a duration.", at, "write e.g. 250ms, 5s, 1m30s, PT5S or a number of seconds");
            }

            return;
        }

        if (!DataTypes.Accepts(parameter.Type, value))
        {
            context.Error(DiagnosticCodes.ParameterType, $"Parameter '{parameter.Name}' of node '{node.Id}' ({kind.Name}) is {DataTypes.Describe(value)}, but must be a {DataTypes.Name(parameter.Type)}.", at, AllowedHint(parameter));
        }
        else if (parameter.AllowedValues.Length > 0 && !parameter.AllowedValues.Contains(value))
        {
            var closest = value.Kind == ValueKind.String
                ? Suggestions.Closest(value.AsString(), parameter.AllowedValues.Where(v => v.Kind == ValueKind.String).Select(v => v.AsString()))
                : null;
            context.Error(DiagnosticCodes.ValueNotAllowed, $"Parameter '{parameter.Name}' of node '{node.Id}' ({kind.Name}) is {DataTypes.Describe(value)}, which is not allowed.", at, closest is null ? AllowedHint(parameter) : $"did you mean '{closest}'?");
        }
    }

    private static string? AllowedHint(ParameterInfo parameter) =>
        parameter.AllowedValues.Length == 0 ? null : $"use one of: {string.Join(", ", parameter.AllowedValues.Select(v => v.ToString()))}";
}
