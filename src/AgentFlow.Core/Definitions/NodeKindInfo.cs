using System.Collections.Immutable;

namespace AgentFlow.Core.Definitions;

/// <summary>What the loader and validator know about one node kind.</summary>
/// <param name="Name">The kind name used in <c>kind:</c>.</param>
/// <param name="Description">One line for docs and tooling.</param>
/// <param name="IsControl">Control kinds (condition, switch, map, ...) are interpreted by the engine, not by an executor.</param>
/// <param name="Mode">How <c>with:</c> is read.</param>
/// <param name="Parameters">The parameter schema when <paramref name="Mode"/> is <see cref="ParameterMode.Schema"/>.</param>
/// <param name="NodeKeys">Extra node-level keys the kind uses (e.g. <c>if</c>, <c>cases</c>, <c>items</c>); others are rejected.</param>
/// <param name="RequiredOneOf">Groups of parameter names of which at least one must be set (e.g. sleep: duration or until).</param>
public sealed record NodeKindInfo(
    string Name,
    string Description,
    bool IsControl = false,
    ParameterMode Mode = ParameterMode.Schema,
    ImmutableArray<ParameterInfo> Parameters = default,
    ImmutableArray<string> NodeKeys = default,
    ImmutableArray<ImmutableArray<string>> RequiredOneOf = default)
{
    /// <summary>The parameter schema, never default.</summary>
    public ImmutableArray<ParameterInfo> Parameters { get; init; } = Parameters.IsDefault ? [] : Parameters;

    /// <summary>The extra node-level keys, never default.</summary>
    public ImmutableArray<string> NodeKeys { get; init; } = NodeKeys.IsDefault ? [] : NodeKeys;

    /// <summary>The one-of groups, never default.</summary>
    public ImmutableArray<ImmutableArray<string>> RequiredOneOf { get; init; } = RequiredOneOf.IsDefault ? [] : RequiredOneOf;

    /// <summary>Finds a parameter by name.</summary>
    public ParameterInfo? FindParameter(string name)
    {
        foreach (var parameter in Parameters)
        {
            if (parameter.Name == name)
            {
                return parameter;
            }
        }

        return null;
    }
}
