namespace AgentFlow.Core.Values;

/// <summary>The JSON-shaped kinds a <see cref="Value"/> can have.</summary>
public enum ValueKind : byte
{
    Null = 0,
    Boolean,
    Number,
    String,
    Array,
    Object,
}
