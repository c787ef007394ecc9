using System.Globalization;

namespace AgentFlow.FlowGram.Bench;

/// <summary>
/// AgentFlow alone, without the Node.js side: runs per second, CPU and bytes per run, what stays reachable and what
/// the collector did, per workflow. For profiling (`perf record ... --agentflow-only true`) and before/after checks.
/// </summary>
internal static class AgentFlowProfile
{
    public static async Task<int> RunAsync(AgentFlowSide agentFlow, IReadOnlyList<Workflow> workflows, IReadOnlyDictionary<string, string?> statuses, double warmupSeconds, double seconds, CancellationToken cancellationToken)
    {
        foreach (var workflow in workflows)
        {
            if (statuses[workflow.Name] != "succeeded")
            {
                Console.Error.WriteLine($"{workflow.Name}: the first run ended {statuses[workflow.Name] ?? "without a status"}, nothing timed.");
                return 1;
            }
        }

        Console.WriteLine("| workflow | AgentFlow runs/s | wall per run | CPU per run | allocated per run | still reachable per run | GC pause per run | collections (gen 0/1/2) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var workflow in workflows)
        {
            Task<(string, System.Text.Json.Nodes.JsonObject?)> Run() => agentFlow.RunAsync(workflow.Schema, workflow.Inputs, cancellationToken);
            await Measurement.TimeAsync(Run, warmupSeconds);
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            var pause = GC.GetTotalPauseDuration();
            var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var timed = await Measurement.TimeAsync(Run, seconds);
            var paused = GC.GetTotalPauseDuration() - pause;
            var reachable = GC.GetTotalMemory(forceFullCollection: true) - heap;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {workflow.Name} | {timed.RunsPerSecond:N0} | {timed.MicrosecondsPerRun:N0} µs | {timed.CpuMicrosecondsPerRun:N0} µs | {timed.KilobytesAllocatedPerRun:N1} KB | {reachable / 1024.0 / timed.Runs:N1} KB | {paused.TotalMicroseconds / timed.Runs:N0} µs | {GC.CollectionCount(0) - collections.Item1}/{GC.CollectionCount(1) - collections.Item2}/{GC.CollectionCount(2) - collections.Item3} |"));
        }

        return 0;
    }
}
