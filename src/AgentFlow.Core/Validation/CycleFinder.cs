using AgentFlow.Core.Definitions;

namespace AgentFlow.Core.Validation;

/// <summary>Finds dependency cycles and reports each one once, naming its nodes in order.</summary>
internal sealed class CycleFinder(ValidationContext context, IReadOnlyList<EdgeDefinition> edges)
{
    private readonly Dictionary<string, List<EdgeDefinition>> _outgoing = edges
        .GroupBy(e => e.From, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    public void Report(IEnumerable<string> nodeIds)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in nodeIds)
        {
            if (!state.ContainsKey(start))
            {
                Visit(start, state, [], reported);
            }
        }
    }

    private void Visit(string id, Dictionary<string, int> state, List<string> path, HashSet<string> reported)
    {
        state[id] = 1;
        path.Add(id);
        foreach (var edge in _outgoing.GetValueOrDefault(id) ?? [])
        {
            var next = edge.To;
            if (state.GetValueOrDefault(next) == 1)
            {
                var cycle = path.Skip(path.IndexOf(next)).Append(next).ToList();
                var key = string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal));
                if (reported.Add(key))
                {
                    context.Error(DiagnosticCodes.Cycle, $"Cycle: {string.Join(" -> ", cycle)}.", edge.Location, "remove one of these dependencies; use a map node or a sub-workflow to repeat work");
                }
            }
            else if (!state.ContainsKey(next))
            {
                Visit(next, state, path, reported);
            }
        }

        path.RemoveAt(path.Count - 1);
        state[id] = 2;
    }
}
