using System.Diagnostics;

namespace AgentFlow.FlowGram.Bench;

/// <summary>
/// Runs completed one after another in a measured time, with the CPU time the process used meanwhile and (in this
/// process) the bytes it allocated.
/// </summary>
internal sealed record Measurement(int Runs, double Seconds, double CpuSeconds, long AllocatedBytes = 0)
{
    public double KilobytesAllocatedPerRun => AllocatedBytes / 1024.0 / Runs;

    public double RunsPerSecond => Runs / Seconds;

    public double MicrosecondsPerRun => Seconds * 1e6 / Runs;

    public double CpuMicrosecondsPerRun => CpuSeconds * 1e6 / Runs;

    /// <summary>Runs <paramref name="run"/> back to back until <paramref name="seconds"/> have passed (at least once).</summary>
    public static async Task<Measurement> TimeAsync<T>(Func<Task<T>> run, double seconds)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
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
        process.Refresh();
        return new Measurement(runs, elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }
}
