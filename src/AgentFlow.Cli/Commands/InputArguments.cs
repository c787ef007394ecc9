using System.Globalization;
using System.Text.Json;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Values;

namespace AgentFlow.Cli.Commands;

/// <summary>Turns <c>--input key=value</c> pairs and an optional <c>--input-file</c> into the workflow's input object.</summary>
internal static class InputArguments
{
    /// <summary>Values are read by the declared type of their input: numbers and booleans are parsed, objects and arrays are JSON.</summary>
    public static Value Parse(WorkflowDefinition definition, IReadOnlyList<string> pairs, string? inputFile, List<string> errors)
    {
        var values = new List<KeyValuePair<string, Value>>();
        if (inputFile is not null)
        {
            ReadFile(inputFile, values, errors);
        }

        foreach (var pair in pairs)
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                errors.Add($"--input '{pair}' is not key=value (for example --input amount=10).");
                continue;
            }

            var name = pair[..separator];
            var text = pair[(separator + 1)..];
            var declared = definition.Inputs.FirstOrDefault(i => i.Name == name);
            if (TryConvert(text, declared?.Type ?? DataType.Any, out var value, out var problem))
            {
                values.Add(new(name, value));
            }
            else
            {
                errors.Add($"--input {name}: {problem}");
            }
        }

        return Value.Object(values);
    }

    private static void ReadFile(string path, List<KeyValuePair<string, Value>> values, List<string> errors)
    {
        try
        {
            var parsed = Value.Parse(File.ReadAllText(path));
            if (parsed.Kind != ValueKind.Object)
            {
                errors.Add($"{path}: the input file must hold a JSON object of input values, not {parsed.KindName}.");
                return;
            }

            values.AddRange(parsed.AsObject());
        }
        catch (JsonException exception)
        {
            errors.Add($"{path}:{(exception.LineNumber ?? 0) + 1}:{(exception.BytePositionInLine ?? 0) + 1}: the input file is not valid JSON: {FirstSentence(exception.Message)}");
        }
        catch (IOException exception)
        {
            errors.Add($"{path}: cannot read the input file: {exception.Message}");
        }
        catch (UnauthorizedAccessException exception)
        {
            errors.Add($"{path}: cannot read the input file: {exception.Message}");
        }
    }

    private static bool TryConvert(string text, DataType type, out Value value, out string problem)
    {
        problem = string.Empty;
        value = Value.Null;
        switch (type)
        {
            case DataType.String:
                value = text;
                return true;
            case DataType.Number or DataType.Integer:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    value = number;
                    return true;
                }

                problem = $"'{text}' is not a number.";
                return false;
            case DataType.Boolean:
                if (bool.TryParse(text, out var flag))
                {
                    value = flag;
                    return true;
                }

                problem = $"'{text}' is not true or false.";
                return false;
            case DataType.Object or DataType.Array:
                try
                {
                    value = Value.Parse(text);
                    return true;
                }
                catch (JsonException exception)
                {
                    problem = $"'{text}' is not valid JSON: {FirstSentence(exception.Message)}";
                    return false;
                }

            default:
                // Undeclared or 'any': JSON when it parses (numbers, booleans, objects), else the raw text.
                try
                {
                    value = Value.Parse(text);
                }
                catch (JsonException)
                {
                    value = text;
                }

                return true;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
