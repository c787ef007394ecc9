namespace AgentFlow.Testing.FlowGramHarness;

/// <summary>Reads <c>tests/flowgram/known-failures.txt</c>: one <c>case-name  reason</c> per line, <c>#</c> comments.</summary>
public static class KnownFailures
{
    public static Dictionary<string, string> Load(string? flowGramDirectory = null)
    {
        var path = Path.Combine(flowGramDirectory ?? HarnessCases.Directory, "known-failures.txt");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            result[space < 0 ? line : line[..space]] = space < 0 ? string.Empty : line[space..].Trim();
        }

        return result;
    }
}
