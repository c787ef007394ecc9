using AgentFlow.Core.Diagnostics;
using System.Collections.Frozen;

namespace AgentFlow.Core.Expressions.Functions;

/// <summary>The built-in functions by (case-sensitive) name, and did-you-mean suggestions for unknown names.</summary>
internal static class FunctionTable
{
    // Immutable after type initialisation, so sharing it across threads is safe.
    private static readonly FrozenDictionary<string, FunctionDefinition> Functions =
        StringFunctions.All().Concat(CollectionFunctions.All()).Concat(NumberFunctions.All())
            .ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => Functions.Keys.Order(StringComparer.Ordinal);

    public static bool TryGet(string name, out FunctionDefinition function) => Functions.TryGetValue(name, out function!);

    /// <summary>A hint for an unknown function: the closest name when one is near, else the list of all names.</summary>
    public static string Suggest(string name)
    {
        if (name == "if")
        {
            return "There is no if() function; use the conditional operator: condition ? whenTrue : whenFalse.";
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in Names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return $"Did you mean '{candidate}'? Function names are case-sensitive.";
            }

            var distance = Suggestions.Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // Short names are close to many others by chance, so they get less slack.
        var allowed = name.Length <= 3 ? 1 : 2;
        return best is not null && bestDistance <= allowed
            ? $"Did you mean '{best}'?"
            : $"Available functions: {string.Join(", ", Names)}.";
    }
}
