using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Validation;
using AgentFlow.Core.Values;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>State shared while one document is read: where problems go, and the positions of everything read.</summary>
internal sealed partial class DslContext(string? file)
{
    public string? File { get; } = file;

    public List<Diagnostic> Diagnostics { get; } = [];

    public SourceMap SourceMap { get; } = new();

    public SourceLocation Loc(YamlNode node, string path) =>
        new(File, checked((int)node.Start.Line), checked((int)node.Start.Column), path);

    public void Error(string code, string message, YamlNode node, string path, string? hint = null) =>
        Diagnostics.Add(new Diagnostic(code, message, Loc(node, path), hint));

    public void Error(string code, string message, SourceLocation location, string? hint = null) =>
        Diagnostics.Add(new Diagnostic(code, message, location, hint));

    public static string Child(string path, string key) =>
        IsIdentifier(key) ? $"{path}.{key}" : $"{path}['{key.Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public YamlMappingNode? Mapping(YamlNode node, string path, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(DiagnosticCodes.WrongType, $"{what} must be a mapping (key: value pairs), not {Describe(node)}.", node, path);
        return null;
    }

    /// <summary>The entries of a mapping whose keys are scalars; other keys are reported.</summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value, string Path)> Entries(YamlMappingNode mapping, string path)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode scalar && scalar.Value is not null)
            {
                var childPath = Child(path, scalar.Value);
                SourceMap.AddPosition(childPath, Loc(value, childPath));
                yield return (scalar.Value, scalar, value, childPath);
            }
            else
            {
                Error(DiagnosticCodes.WrongType, $"Keys must be plain strings, not {Describe(key)}.", key, path);
            }
        }
    }

    /// <summary>Reports keys of <paramref name="mapping"/> that are not in <paramref name="allowed"/>, with a did-you-mean hint.</summary>
    public void CheckKeys(YamlMappingNode mapping, string path, IReadOnlyCollection<string> allowed, string what)
    {
        foreach (var (key, keyNode, _, keyPath) in Entries(mapping, path))
        {
            if (!allowed.Contains(key))
            {
                Error(DiagnosticCodes.UnknownKey, $"Unknown key '{key}' in {what}.", keyNode, keyPath, Suggestions.Hint(key, allowed));
            }
        }
    }

    public YamlScalarNode? Scalar(YamlNode node, string path, string what)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar;
        }

        Error(DiagnosticCodes.WrongType, $"{what} must be a single value, not {Describe(node)}.", node, path);
        return null;
    }

    public string? String(YamlNode node, string path, string what)
    {
        var scalar = Scalar(node, path, what);
        if (scalar is null)
        {
            return null;
        }

        var value = YamlScalars.ToValue(scalar);
        if (value.Kind is Values.ValueKind.String or Values.ValueKind.Number or Values.ValueKind.Boolean)
        {
            return YamlScalars.Text(scalar);
        }

        Error(DiagnosticCodes.WrongType, $"{what} must be a string, not {value.KindName}.", node, path);
        return null;
    }

    public double? Number(YamlNode node, string path, string what)
    {
        var scalar = Scalar(node, path, what);
        if (scalar is null)
        {
            return null;
        }

        var value = YamlScalars.ToValue(scalar);
        if (value.Kind == Values.ValueKind.Number)
        {
            return value.AsNumber();
        }

        Error(DiagnosticCodes.WrongType, $"{what} must be a number, not {value.KindName} '{scalar.Value}'.", node, path);
        return null;
    }

    public int? Integer(YamlNode node, string path, string what)
    {
        var number = Number(node, path, what);
        if (number is null)
        {
            return null;
        }

        if (Math.Floor(number.Value) == number.Value && number.Value is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number.Value;
        }

        Error(DiagnosticCodes.WrongType, $"{what} must be a whole number, not {number.Value}.", node, path);
        return null;
    }

    public bool? Boolean(YamlNode node, string path, string what)
    {
        var scalar = Scalar(node, path, what);
        if (scalar is null)
        {
            return null;
        }

        var value = YamlScalars.ToValue(scalar);
        if (value.Kind == Values.ValueKind.Boolean)
        {
            return value.AsBoolean();
        }

        Error(DiagnosticCodes.WrongType, $"{what} must be true or false, not '{scalar.Value}'.", node, path);
        return null;
    }

    public TimeSpan? Duration(YamlNode node, string path, string what)
    {
        var scalar = Scalar(node, path, what);
        if (scalar is null)
        {
            return null;
        }

        if (Values.Duration.TryParse(YamlScalars.Text(scalar), out var duration))
        {
            return duration;
        }

        Error(DiagnosticCodes.InvalidDuration, $"{what} '{scalar.Value}' is not a duration.", node, path, "write e.g. 250ms, 5s, 1m30s, 2h, 1d, PT5S or a number of seconds");
        return null;
    }

    /// <summary>Reads one of a fixed set of words, case-insensitively.</summary>
    public T? Keyword<T>(YamlNode node, string path, string what, IReadOnlyDictionary<string, T> words)
        where T : struct
    {
        var text = String(node, path, what);
        if (text is null)
        {
            return null;
        }

        foreach (var (word, value) in words)
        {
            if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        Error(DiagnosticCodes.InvalidValue, $"{what} '{text}' is not valid.", node, path, Suggestions.Hint(text, words.Keys.ToList()));
        return null;
    }

    /// <summary>A plain YAML value with no expressions compiled (e.g. a variable's initial value).</summary>
    public static Value ToValue(YamlNode node) => node switch
    {
        YamlScalarNode scalar => YamlScalars.ToValue(scalar),
        YamlSequenceNode sequence => Value.Array(sequence.Children.Select(ToValue)),
        YamlMappingNode mapping => Value.Object(mapping.Children.Select(
            c => new KeyValuePair<string, Value>((c.Key as YamlScalarNode)?.Value ?? c.Key.ToString(), ToValue(c.Value)))),
        _ => Value.Null,
    };

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"{YamlScalars.ToValue(scalar).KindName} '{scalar.Value}'",
        _ => "an alias",
    };

    private static bool IsIdentifier(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
