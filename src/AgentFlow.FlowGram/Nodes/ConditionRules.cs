using System.Collections.Frozen;

namespace AgentFlow.FlowGram.Nodes;

/// <summary>The operator table of §2.5: for each left type and operator, the required right-hand type.</summary>
internal static class ConditionRules
{
    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> Rules = Build();

    public static bool TryGetType(string leftType, out FrozenDictionary<string, string> operators) => Rules.TryGetValue(leftType, out operators!);

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Build()
    {
        static FrozenDictionary<string, string> Of(params (string Op, string Type)[] cells) => cells.ToFrozenDictionary(c => c.Op, c => c.Type, StringComparer.Ordinal);
        var number = Of(("eq", "number"), ("neq", "number"), ("gt", "number"), ("gte", "number"), ("lt", "number"), ("lte", "number"), ("in", "array"), ("nin", "array"), ("is_empty", "null"), ("is_not_empty", "null"));
        var container = Of(("is_empty", "null"), ("is_not_empty", "null"));
        return new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["string"] = Of(("eq", "string"), ("neq", "string"), ("in", "array"), ("nin", "array"), ("contains", "string"), ("not_contains", "string"), ("is_empty", "string"), ("is_not_empty", "string")),
            ["number"] = number,
            ["integer"] = number,
            ["boolean"] = Of(("eq", "boolean"), ("neq", "boolean"), ("in", "array"), ("nin", "array"), ("is_empty", "null"), ("is_not_empty", "null"), ("is_true", "null"), ("is_false", "null")),
            ["object"] = container,
            ["map"] = container,
            ["array"] = container,
            ["date-time"] = Of(("eq", "date-time"), ("neq", "date-time"), ("gt", "date-time"), ("gte", "date-time"), ("lt", "date-time"), ("lte", "date-time"), ("is_empty", "null"), ("is_not_empty", "null")),
            ["null"] = Of(("eq", "null"), ("is_empty", "null"), ("is_not_empty", "null")),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
