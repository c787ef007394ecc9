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

            var distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
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

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions, so "lenght" is one edit from "length".</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
