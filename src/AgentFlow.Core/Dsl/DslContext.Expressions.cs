using AgentFlow.Core.Expressions;
using AgentFlow.Core.Validation;
using AgentFlow.Core.Values;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>Compiling values and conditions, recording each scalar's position for the validator.</summary>
internal sealed partial class DslContext
{
    private const string Open = "${{";

    /// <summary>Compiles a value that may embed <c>${{ }}</c>; null when an embedded expression does not parse (reported).</summary>
    public ValueTemplate? Template(YamlNode node, string path)
    {
        var ok = true;
        var template = Compile(node, path, ref ok, out _);
        return ok ? template : null;
    }

    /// <summary>Parses a condition written as <c>${{ expr }}</c> or as a bare expression.</summary>
    public Expression? Condition(YamlNode node, string path, string what)
    {
        var scalar = Scalar(node, path, what);
        if (scalar is null)
        {
            return null;
        }

        var text = YamlScalars.Text(scalar);
        var start = 0;
        var length = text.Length;
        var trimmed = text.Trim();
        if (trimmed.StartsWith(Open, StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal)
            && trimmed.IndexOf(Open, Open.Length, StringComparison.Ordinal) < 0)
        {
            start = text.IndexOf(Open, StringComparison.Ordinal) + Open.Length;
            length = text.LastIndexOf("}}", StringComparison.Ordinal) - start;
        }

        // Expression columns count from the first non-blank character, as for templates.
        var lead = text.Substring(start, length).Length - text.Substring(start, length).TrimStart().Length;
        start += lead;
        length -= lead;
        var inner = text.Substring(start, length);
        var entry = new SourceEntry(Loc(node, path), YamlScalars.IsSingleLine(scalar), YamlScalars.ContentOffset(scalar) + start, null, null, []);
        if (inner.Trim().Length == 0)
        {
            Error(DiagnosticCodes.MissingKey, $"{what} is empty.", entry.Location, "write a condition such as ${{ nodes.a.output.ok }}");
            return null;
        }

        if (!Expression.TryParse(inner, out var expression, out var error) || expression is null)
        {
            Error(DiagnosticCodes.ExpressionSyntax, $"Invalid expression in {what}: {error?.Message}", entry.At((error?.Column ?? 1) - 1), error?.Hint);
            return null;
        }

        SourceMap.Add(path, entry with { References = expression.References });
        return expression;
    }

    private ValueTemplate Compile(YamlNode node, string path, ref bool ok, out Value? constant)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return CompileScalar(scalar, path, ref ok, out constant);
            case YamlSequenceNode sequence:
            {
                var items = new List<ValueTemplate>();
                var constants = new List<Value>();
                var allConstant = true;
                var i = 0;
                foreach (var child in sequence.Children)
                {
                    items.Add(Compile(child, Index(path, i++), ref ok, out var itemConstant));
                    allConstant &= itemConstant.HasValue;
                    constants.Add(itemConstant ?? Value.Null);
                }

                constant = allConstant ? Value.Array(constants) : (Value?)null;
                SourceMap.Add(path, new SourceEntry(Loc(node, path), false, 0, constant, null, []));
                return constant is { } c ? ValueTemplate.Constant(c) : ValueTemplate.Array(items);
            }

            case YamlMappingNode mapping:
            {
                var properties = new List<KeyValuePair<string, ValueTemplate>>();
                var constants = new List<KeyValuePair<string, Value>>();
                var allConstant = true;
                foreach (var (key, _, value, childPath) in Entries(mapping, path))
                {
                    var template = Compile(value, childPath, ref ok, out var propertyConstant);
                    properties.Add(new(key, template));
                    allConstant &= propertyConstant.HasValue;
                    constants.Add(new(key, propertyConstant ?? Value.Null));
                }

                constant = allConstant ? Value.Object(constants) : (Value?)null;
                SourceMap.Add(path, new SourceEntry(Loc(node, path), false, 0, constant, properties.Select(p => p.Key).ToList(), []));
                return constant is { } c ? ValueTemplate.Constant(c) : ValueTemplate.Object(properties);
            }

            default:
                constant = Value.Null;
                return ValueTemplate.Constant(Value.Null);
        }
    }

    private ValueTemplate CompileScalar(YamlScalarNode scalar, string path, ref bool ok, out Value? constant)
    {
        var value = YamlScalars.ToValue(scalar);
        var entry = new SourceEntry(Loc(scalar, path), YamlScalars.IsSingleLine(scalar), YamlScalars.ContentOffset(scalar), value, null, []);
        if (value.Kind != ValueKind.String || !value.AsString().Contains(Open, StringComparison.Ordinal))
        {
            constant = value;
            SourceMap.Add(path, entry);
            return ValueTemplate.Constant(value);
        }

        constant = null;
        if (!ValueTemplate.TryParseString(value.AsString(), out var template, out var error) || template is null)
        {
            ok = false;
            Error(DiagnosticCodes.ExpressionSyntax, $"Invalid expression: {error?.Message}", entry.At((error?.Column ?? 1) - 1), error?.Hint);
            return ValueTemplate.Constant(Value.Null);
        }

        SourceMap.Add(path, entry with { Constant = null, References = template.References.ToList() });
        return template;
    }
}
