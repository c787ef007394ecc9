using System.Collections.Immutable;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Definitions;

/// <summary>One named parameter of a node kind (a key of the node's <c>with:</c> object).</summary>
/// <param name="Name">The key under <c>with:</c>.</param>
/// <param name="Type">The expected type of a constant value.</param>
/// <param name="Required">Whether the node must set it.</param>
/// <param name="AllowedValues">When not empty, the only constant values accepted.</param>
/// <param name="Description">One line for docs and tooling.</param>
/// <param name="Default">The value the executor uses when the parameter is absent.</param>
/// <param name="IsDuration">A string is checked as a duration (<c>250ms</c>, <c>5s</c>, <c>PT1M</c>) or a number of seconds.</param>
public sealed record ParameterInfo(
    string Name,
    DataType Type,
    bool Required = false,
    ImmutableArray<Value> AllowedValues = default,
    string? Description = null,
    Value? Default = null,
    bool IsDuration = false)
{
    /// <summary>The allowed values, never default.</summary>
    public ImmutableArray<Value> AllowedValues { get; init; } = AllowedValues.IsDefault ? [] : AllowedValues;
}
