using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentFlow.FlowGram.Values;

/// <summary>FlowGram's runtime type inference and equality (§1.7).</summary>
internal static partial class RuntimeTypes
{
    public static string Infer(object? value) => value switch
    {
        null => "null",
        string s => IsDateTime(s) ? "date-time" : "string",
        bool => "boolean",
        double d => double.IsFinite(d) && Math.Floor(d) == d ? "integer" : "number",
        List<object?> => "array",
        JsObject => "object",
        _ when Js.IsNil(value) => "null",
        _ => "object",
    };

    public static bool IsTypeEqual(string? a, string? b) =>
        a == b || (IsNumeric(a) && IsNumeric(b));

    public static bool IsNumeric(string? type) => type is "number" or "integer";

    /// <summary>JS <c>new Date(s).getTime()</c> for the ISO forms FlowGram produces; NaN when unparsable.</summary>
    public static double DateTimeMillis(object? value)
    {
        if (value is string s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.ToUnixTimeMilliseconds();
        }

        return double.NaN;
    }

    private static bool IsDateTime(string s) => IsoPattern().IsMatch(s) && !double.IsNaN(DateTimeMillis(s));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z?$")]
    private static partial Regex IsoPattern();
}
