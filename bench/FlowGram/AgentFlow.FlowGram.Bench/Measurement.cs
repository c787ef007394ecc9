namespace AgentFlow.FlowGram.Bench;

/// <summary>Runs completed one after another in a measured time.</summary>
internal sealed record Measurement(int Runs, double Seconds)
{
    public double RunsPerSecond => Runs / Seconds;

    public double MicrosecondsPerRun => Seconds * 1e6 / Runs;

    /// <summary>Runs <paramref name="run"/> back to back until <paramref name="seconds"/> have passed (at least once).</summary>
    public static async Task<Measurement> TimeAsync<T>(Func<Task<T>> run, double seconds)
    {
        var started = TimeProvider.System.GetTimestamp();
        var budget = TimeSpan.FromSeconds(seconds);
        var runs = 0;
        TimeSpan elapsed;
        do
        {
            await run();
            runs++;
            elapsed = TimeProvider.System.GetElapsedTime(started);
        }
        while (elapsed < budget);
        return new Measurement(runs, elapsed.TotalSeconds);
    }
}
