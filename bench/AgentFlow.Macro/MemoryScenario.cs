using System.Diagnostics;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Macro;

/// <summary>
/// Memory per waiting execution: parks <c>count</c> executions on a <c>wait</c> node through a
/// <see cref="WorkflowHost"/> and compares the managed heap (after a full GC) and the working set before and after.
/// Then measures the process CPU used over 5 s while they all just wait (the host's heartbeat and inbox polls), and
/// the time of one round of lease renewals done as the heartbeat does it (one batched store call).
/// </summary>
internal static class MemoryScenario
{
    public const string Header = """
        | store | parked executions | time to park | managed heap before → after | per execution (heap) | working set before → after | per execution (working set) | CPU while idle (5 s) | one lease-renewal round |
        | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
        """;

    public static async Task RunAsync(string kind, int count, TimeSpan poll, CancellationToken cancellationToken)
    {
        await using var bench = new BenchStore(kind);
        var store = await bench.OpenAsync(cancellationToken);
        try
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { MaxConcurrentExecutions = 1_000_000, PollInterval = poll });
            var (definition, options) = Workflows.Load(Workflows.Parked);

            // Warm-up: JIT, the definition saved, the heartbeat running.
            var warm = await Parking.ParkAsync(host, definition, options, 10, cancellationToken);
            await Parking.WaitUntilParkedAsync(store, warm, cancellationToken);
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var setBefore = CurrentWorkingSet();

            var clock = Stopwatch.StartNew();
            var ids = await Parking.ParkAsync(host, definition, options, count, cancellationToken);
            await Parking.WaitUntilParkedAsync(store, ids, cancellationToken);
            var parked = clock.Elapsed;

            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            var setAfter = CurrentWorkingSet();
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds / 5;
            // What the heartbeat does every LeaseDuration / 3: renew every owned lease in one batched store call.
            clock.Restart();
            await store.RenewLeasesAsync(ids, host.OwnerId, TimeSpan.FromSeconds(30), cancellationToken);

            var renewRound = clock.Elapsed;
            if (host.OwnedCount != count + warm.Length)
            {
                throw new InvalidOperationException($"expected {count + warm.Length} owned executions, host owns {host.OwnedCount}");
            }

            Console.WriteLine(FormattableString.Invariant(
                $"| {kind} | {count:N0} | {parked.TotalSeconds:F1} s | {Mb(heapBefore)} → {Mb(heapAfter)} | {(heapAfter - heapBefore) / (double)count:N0} B | {Mb(setBefore)} → {Mb(setAfter)} | {(setAfter - setBefore) / (double)count:N0} B | {cpu:P0} of a core | {renewRound.TotalSeconds:F1} s |"));
            GC.KeepAlive(ids);
        }
        finally
        {
            await bench.CloseAsync(store);
        }
    }

    private static long CurrentWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static string Mb(long bytes) => FormattableString.Invariant($"{bytes / 1048576.0:N0} MB");
}
