using System.Diagnostics;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Macro;

/// <summary>
/// Durable node completions per second: <c>c</c> closed-loop clients each start an execution of a chain of local
/// nodes through a <see cref="WorkflowHost"/> (lease, definition save, appends, lease release) and start the next once
/// it has completed, until <c>duration</c> has passed; every client finishes at least one execution, so with 10,000
/// clients the run is one wave of 10,000 concurrent executions, however long it takes. Beside it, the raw commit rate
/// of the same database measured in the same run, before and after.
/// </summary>
internal static class ThroughputScenario
{
    public const string Header = """
        | store | concurrent executions | nodes per execution | executions | node completions | elapsed | completions/s | raw commits/s (before; after) | completions / raw commit |
        | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
        """;

    public static async Task RunAsync(string kind, IReadOnlyList<int> concurrencies, int nodes, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var bench = new BenchStore(kind);
        var rawBefore = await bench.RawCommitsPerSecondAsync(TimeSpan.FromSeconds(2), cancellationToken);
        var rows = new List<(int Concurrency, long Executions, TimeSpan Elapsed)>();
        var store = await bench.OpenAsync(cancellationToken);
        try
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { MaxConcurrentExecutions = 100_000 });
            var (definition, options) = Workflows.Load(Workflows.Chain(nodes));

            // Warm-up: JIT, definition saved, pools and prepared statements.
            await RunClientsAsync(host, definition, options, 4, TimeSpan.FromMilliseconds(500), cancellationToken);
            foreach (var concurrency in concurrencies)
            {
                var clock = Stopwatch.StartNew();
                var executions = await RunClientsAsync(host, definition, options, concurrency, duration, cancellationToken);
                rows.Add((concurrency, executions, clock.Elapsed));
                await WaitForLeasesReleasedAsync(host, cancellationToken);
            }
        }
        finally
        {
            await bench.CloseAsync(store);
        }

        // The disk's flush latency drifts on a shared VM, so the raw rate is measured on both sides of the store runs;
        // the ratio is against their mean.
        var rawAfter = await bench.RawCommitsPerSecondAsync(TimeSpan.FromSeconds(2), cancellationToken);
        var raw = (rawBefore + rawAfter) / 2;
        foreach (var (concurrency, executions, elapsed) in rows)
        {
            var completions = executions * (long)nodes;
            var rate = completions / elapsed.TotalSeconds;
            Console.WriteLine(FormattableString.Invariant(
                $"| {kind} | {concurrency:N0} | {nodes} | {executions:N0} | {completions:N0} | {elapsed.TotalSeconds:F2} s | {rate:N0} | {rawBefore:N0}; {rawAfter:N0} | {rate / raw:F2} |"));
        }
    }

    private static async Task<long> RunClientsAsync(WorkflowHost host, Core.Definitions.WorkflowDefinition definition, StartOptions options, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var executions = 0L;
        var clock = Stopwatch.StartNew();
        var clients = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            clients[i] = Task.Run(
                async () =>
                {
                    do
                    {
                        var handle = await host.StartAsync(definition, Value.EmptyObject, options, cancellationToken);
                        var result = await handle.Completion;
                        if (result.Status != ExecutionStatus.Succeeded)
                        {
                            throw new InvalidOperationException($"execution {result.ExecutionId} ended {result.Status}: {result.Error?.Message}");
                        }

                        Interlocked.Increment(ref executions);
                    }
                    while (clock.Elapsed < duration);
                },
                cancellationToken);
        }

        await Task.WhenAll(clients);
        return executions;
    }

    /// <summary>Lets the host give up the leases of finished executions before the next measurement starts.</summary>
    private static async Task WaitForLeasesReleasedAsync(WorkflowHost host, CancellationToken cancellationToken)
    {
        while (host.OwnedCount > 0)
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
