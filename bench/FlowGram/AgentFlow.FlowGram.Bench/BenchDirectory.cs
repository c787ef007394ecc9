namespace AgentFlow.FlowGram.Bench;

internal static class BenchDirectory
{
    /// <summary>bench/FlowGram, found upwards from the working directory or the build output.</summary>
    public static string Find()
    {
        foreach (var start in (string[])[Environment.CurrentDirectory, AppContext.BaseDirectory])
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in (string[])[dir.FullName, Path.Combine(dir.FullName, "bench", "FlowGram")])
                {
                    if (File.Exists(Path.Combine(candidate, "run-js.mjs")))
                    {
                        return candidate;
                    }
                }
            }
        }

        throw new DirectoryNotFoundException("bench/FlowGram (with run-js.mjs) not found above the working directory; run from the repository");
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
