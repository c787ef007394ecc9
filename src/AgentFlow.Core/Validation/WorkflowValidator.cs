using System.Text.RegularExpressions;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Core.Validation;

/// <summary>Checks a workflow definition (from any front door) and reports every problem found.</summary>
public static partial class WorkflowValidator
{
    /// <summary>Validates <paramref name="definition"/>, its bodies and child workflows; positions come from each element's <c>Location</c>.</summary>
    public static IReadOnlyList<Diagnostic> Validate(WorkflowDefinition definition, NodeKindCatalog catalog) =>
        Validate(definition, catalog, new SourceMap());

    internal static IReadOnlyList<Diagnostic> Validate(WorkflowDefinition definition, NodeKindCatalog catalog, SourceMap sourceMap)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        var context = new ValidationContext(catalog, sourceMap);
        ValidateWorkflow(context, definition, ValidationScope.ForWorkflow(definition, []));
        return context.Diagnostics;
    }

    /// <summary>Node ids, input and variable names: usable in expressions and in <c>needs: node.branch</c>.</summary>
    internal static bool IsName(string id) => NamePattern().IsMatch(id);

    internal static void ValidateWorkflow(ValidationContext context, WorkflowDefinition workflow, ValidationScope scope)
    {
        if (!WorkflowIdPattern().IsMatch(workflow.Id))
        {
            context.Error(DiagnosticCodes.InvalidId, $"Workflow id '{workflow.Id}' is not valid.", context.Locate(workflow.Location, ".id"), "use letters, digits, '_', '.' and '-', starting with a letter or '_'");
        }

        ValidateInputs(context, workflow);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in workflow.Variables)
        {
            CheckName(context, variable.Name, "Variable", variable.Location, seen);
        }

        new GraphValidator(context, workflow, scope).Run();
        foreach (var (_, child) in workflow.Workflows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            ValidateWorkflow(context, child, ValidationScope.ForWorkflow(child, scope.Chain));
        }
    }

    private static void ValidateInputs(ValidationContext context, WorkflowDefinition workflow)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in workflow.Inputs)
        {
            CheckName(context, input.Name, "Input", input.Location, seen);
            foreach (var allowed in input.AllowedValues)
            {
                if (!DataTypes.Accepts(input.Type, allowed))
                {
                    context.Error(DiagnosticCodes.DefaultType, $"Input '{input.Name}' allows {DataTypes.Describe(allowed)}, which is not a {DataTypes.Name(input.Type)}.", context.Locate(input.Location, ".enum"), $"make every enum value a {DataTypes.Name(input.Type)}");
                }
            }

            if (input.Default is not { } value)
            {
                continue;
            }

            var where = context.Locate(input.Location, ".default");
            if (!DataTypes.Accepts(input.Type, value))
            {
                context.Error(DiagnosticCodes.DefaultType, $"The default of input '{input.Name}' is {DataTypes.Describe(value)}, not a {DataTypes.Name(input.Type)}.", where, $"write a {DataTypes.Name(input.Type)} default or change 'type'");
            }
            else if (input.AllowedValues.Length > 0 && !input.AllowedValues.Contains(value))
            {
                context.Error(DiagnosticCodes.DefaultNotInEnum, $"The default of input '{input.Name}' is {DataTypes.Describe(value)}, which is not one of its enum values.", where, $"use one of: {string.Join(", ", input.AllowedValues.Select(v => v.ToJson()))}");
            }

            if (input.Required)
            {
                context.Warning(DiagnosticCodes.InvalidSetting, $"Input '{input.Name}' is required and has a default; the default is never used.", context.Locate(input.Location, ".required"), "remove 'required: true' or the default");
            }
        }
    }

    private static void CheckName(ValidationContext context, string name, string what, SourceLocation location, HashSet<string> seen)
    {
        if (!IsName(name))
        {
            context.Error(DiagnosticCodes.InvalidId, $"{what} name '{name}' is not valid.", location, "use letters, digits and '_', starting with a letter or '_' (names appear in expressions)");
        }

        if (!seen.Add(name))
        {
            context.Error(DiagnosticCodes.DuplicateId, $"{what} '{name}' is declared twice.", location, "rename or remove one of them");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkflowIdPattern();
}
