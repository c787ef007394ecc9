namespace AgentFlow.Benchmarks.FlowGram;

/// <summary>The FlowGram harness's workflow files (bench/FlowGram/schemas).</summary>
internal static class BenchSchemas
{
    /// <summary>The schema file, found from the working directory upwards (BenchmarkDotNet runs from a build folder).</summary>
    public static string PathOf(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "bench", "FlowGram", "schemas", name + ".json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"bench/FlowGram/schemas/{name}.json not found above {AppContext.BaseDirectory}.");
    }
}
