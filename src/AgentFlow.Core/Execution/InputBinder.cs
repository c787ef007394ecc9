using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>Checks caller-supplied inputs against a workflow's declared inputs and applies defaults.</summary>
public static class InputBinder
{
    /// <summary>
    /// Binds <paramref name="provided"/> (an object, or null for none) to the declared inputs. Returns the bound
    /// object (declaration order, defaults applied) and every problem found; the inputs are usable only when there are none.
    /// </summary>
    public static (Value Inputs, IReadOnlyList<Diagnostic> Errors) Bind(WorkflowDefinition definition, Value provided)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<Diagnostic>();
        var given = ValueObject.Empty;
        if (provided.Kind == ValueKind.Object)
        {
            given = provided.AsObject();
        }
        else if (!provided.IsNull)
        {
            errors.Add(new Diagnostic("AF0500", $"Inputs must be an object but were {provided.KindName}.", definition.Location));
            return (Value.EmptyObject, errors);
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        var bound = new List<KeyValuePair<string, Value>>(definition.Inputs.Length);
        foreach (var input in definition.Inputs)
        {
            declared.Add(input.Name);
            if (!given.TryGetValue(input.Name, out var value) || value.IsNull)
            {
                if (input.Default is { } fallback)
                {
                    bound.Add(new(input.Name, fallback));
                }
                else if (input.Required)
                {
                    errors.Add(new Diagnostic("AF0501", $"Input '{input.Name}' is required ({DataTypes.Name(input.Type)}) but was not provided.", input.Location));
                }

                continue;
            }

            if (!DataTypes.Accepts(input.Type, value))
            {
                errors.Add(new Diagnostic("AF0502", $"Input '{input.Name}' must be {Article(input.Type)} but was {Describe(value)}.", input.Location));
                continue;
            }

            if (!input.AllowedValues.IsDefaultOrEmpty && !input.AllowedValues.Contains(value))
            {
                var allowed = string.Join(", ", input.AllowedValues.Select(v => v.Kind == ValueKind.String ? $"'{v}'" : v.ToString()));
                errors.Add(new Diagnostic("AF0503", $"Input '{input.Name}' must be one of {allowed} but was {Describe(value)}.", input.Location));
                continue;
            }

            bound.Add(new(input.Name, value));
        }

        foreach (var name in given.Keys)
        {
            if (declared.Contains(name))
            {
                continue;
            }

            if (definition.AllowUndeclaredInputs)
            {
                bound.Add(new(name, given[name]));
            }
            else
            {
                var hint = definition.Inputs.IsEmpty ? "this workflow declares no inputs" : $"declared inputs: {string.Join(", ", definition.Inputs.Select(i => i.Name))}";
                errors.Add(new Diagnostic("AF0504", $"Unknown input '{name}'.", definition.Location, hint));
            }
        }

        return (Value.Object(bound), errors);
    }

    private static string Article(DataType type) => type switch
    {
        DataType.Integer => "an integer (a whole number)",
        DataType.Object or DataType.Array => $"an {DataTypes.Name(type)}",
        DataType.Any => "any value",
        _ => $"a {DataTypes.Name(type)}",
    };

    private static string Describe(Value value) => value.Kind switch
    {
        ValueKind.String => $"the string \"{Truncate(value.AsString())}\"",
        ValueKind.Number => $"the number {value}",
        ValueKind.Boolean => $"the boolean {value}",
        _ => $"an {value.KindName}",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
