namespace AgentFlow.FlowGram.Tests.Differential;

/// <summary>Reads <c>tests/flowgram/known-failures.txt</c>: one <c>case-name  reason</c> per line, <c>#</c> comments.</summary>
internal static class KnownFailures
{
    public static Dictionary<string, string> Load(string flowGramDirectory)
    {
        var path = Path.Combine(flowGramDirectory, "known-failures.txt");
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
