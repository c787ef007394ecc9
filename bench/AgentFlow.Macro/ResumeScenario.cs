using System.Diagnostics;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Macro;

/// <summary>
/// Time to resume after a restart: parks <c>count</c> executions on a <c>wait</c> node, disposes the host (it detaches
/// them and releases their leases), the runtime and the store, then opens a new store, runtime and host on the same
/// database and runs the worker loop (<see cref="WorkflowHost.RunAsync"/>). Measures the time until the host owns all
/// of them again (each claimed, its definition reloaded, its log replayed, back at its wait), then sends every
/// signal and measures the time until all have completed.
/// </summary>
internal static class ResumeScenario
{
    public const string Header = """
        | store | executions | worker max executions | time to park | restart → all resumed (waiting again; with fewer worker slots: slots filled) | resumed/s | signals sent | signals → all completed | completed/s | heap per execution: before restart; after resume |
        | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
        """;

    public static async Task RunAsync(string kind, int count, int maxExecutions, TimeSpan poll, CancellationToken cancellationToken)
    {
        await using var bench = new BenchStore(kind);
        var (definition, options) = Workflows.Load(Workflows.Parked);

        // Before the restart.
        var clock = Stopwatch.StartNew();
        string[] ids;
        var baseHeap = GC.GetTotalMemory(forceFullCollection: true);
        long heapBefore;
        var store = await bench.OpenAsync(cancellationToken);
        try
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "before", MaxConcurrentExecutions = 1_000_000, PollInterval = poll });
            ids = await Parking.ParkAsync(host, definition, options, count, cancellationToken);
            await Parking.WaitUntilParkedAsync(store, ids, cancellationToken);
            heapBefore = GC.GetTotalMemory(forceFullCollection: true) - baseHeap;
        }
        finally
        {
            await bench.CloseAsync(store);
        }

        var parked = clock.Elapsed;

        // After the restart.
        store = await bench.OpenAsync(cancellationToken);
        try
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "after", MaxConcurrentExecutions = maxExecutions, PollInterval = poll });
            using var stop = new CancellationTokenSource();
            clock.Restart();
            var working = host.RunAsync(stop.Token);
            // Parked executions hold no worker slot: the worker resumes them all, whatever its slot count.
            var target = count;
            while (host.OwnedCount < target)
            {
                await Task.Delay(5, cancellationToken);
            }

            var resumed = clock.Elapsed;
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true) - baseHeap;
            clock.Restart();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (id, ct) =>
                await runtime.SignalAsync(id, "go", Value.From(1L), ct));
            var sent = clock.Elapsed;
            // Every execution has ended in the index.
            foreach (var id in ids)
            {
                while ((await store.GetExecutionAsync(id, cancellationToken))?.IsTerminal != true)
                {
                    await Task.Delay(5, cancellationToken);
                }
            }

            var completed = clock.Elapsed;
            await stop.CancelAsync();
            await working;
            var notSucceeded = 0;
            foreach (var id in ids)
            {
                if ((await store.GetExecutionAsync(id, cancellationToken))?.Status != ExecutionStatus.Succeeded)
                {
                    notSucceeded++;
                }
            }

            Console.WriteLine(FormattableString.Invariant(
                $"| {kind} | {count:N0} | {maxExecutions:N0} | {parked.TotalSeconds:F1} s | {resumed.TotalSeconds:F2} s | {target / resumed.TotalSeconds:N0} | {sent.TotalSeconds:F2} s | {completed.TotalSeconds:F2} s | {count / completed.TotalSeconds:N0} | {heapBefore / (double)count:N0} B; {heapAfter / (double)target:N0} B |"));
            if (notSucceeded > 0)
            {
                Console.WriteLine(FormattableString.Invariant($"<!-- {notSucceeded} executions did not succeed -->"));
            }
        }
        finally
        {
            await bench.CloseAsync(store);
        }
    }
}
