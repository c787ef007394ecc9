using System.Globalization;
using System.Text.RegularExpressions;
using AgentFlow.Core.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>Resolves YAML scalars with the YAML 1.2 core schema (JSON-compatible): quoted scalars are always strings.</summary>
internal static partial class YamlScalars
{
    public static bool IsPlain(YamlScalarNode node) => node.Style is ScalarStyle.Plain or ScalarStyle.Any;

    /// <summary>The value of a scalar: null, boolean, number or string.</summary>
    public static Value ToValue(YamlScalarNode node)
    {
        var text = node.Value ?? string.Empty;
        if (!IsPlain(node) || (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific && node.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return text;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return Value.Null;
            case "true" or "True" or "TRUE":
                return Value.True;
            case "false" or "False" or "FALSE":
                return Value.False;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
        {
            return Convert.ToInt64(text[2..], 8);
        }

        if (NumberPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return text;
    }

    /// <summary>The plain text of a scalar as written (for durations, ids and enum keywords).</summary>
    public static string Text(YamlScalarNode node) => node.Value ?? string.Empty;

    /// <summary>Columns between the scalar's start mark and its first character of content.</summary>
    public static int ContentOffset(YamlScalarNode node) =>
        node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;

    /// <summary>Whether a column offset inside the value maps to a column in the file.</summary>
    public static bool IsSingleLine(YamlScalarNode node) =>
        node.Start.Line == node.End.Line && node.Style is not (ScalarStyle.Literal or ScalarStyle.Folded);

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
