using AgentFlow.Core.Values;

namespace AgentFlow.Core.Definitions;

/// <summary>Checks constant values against declared types.</summary>
internal static class DataTypes
{
    /// <summary>Whether <paramref name="value"/> is acceptable for <paramref name="type"/>; integer accepts whole numbers only.</summary>
    public static bool Accepts(DataType type, Value value) => type switch
    {
        DataType.Any => true,
        DataType.String => value.Kind == ValueKind.String,
        DataType.Number => value.Kind == ValueKind.Number,
        DataType.Integer => value.IsInteger,
        DataType.Boolean => value.Kind == ValueKind.Boolean,
        DataType.Object => value.Kind == ValueKind.Object,
        DataType.Array => value.Kind == ValueKind.Array,
        _ => true,
    };

    public static string Name(DataType type) => type.ToString().ToLowerInvariant();

    public static string Describe(Value value) => value.Kind == ValueKind.String ? $"string \"{value.AsString()}\"" : $"{value.KindName} {value.ToJson()}";
}
