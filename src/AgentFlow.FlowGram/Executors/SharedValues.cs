using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>Immutable values FlowGram's executors record again and again: one instance each, marked as a constant.</summary>
internal static class SharedValues
{
    /// <summary>
    /// Marks <paramref name="value"/>'s object or array the way a definition's constant is marked (the mark a
    /// <see cref="ValueTemplate.Constant"/> sets), so an encoded log refers to the one instance by number instead of
    /// copying it. Only for values that are never changed and are recorded by many runs; returns the value.
    /// </summary>
    public static Value Mark(Value value)
    {
        _ = ValueTemplate.Constant(value);
        return value;
    }
}
