using System.Diagnostics;
using System.Globalization;

namespace AgentFlow.Load;

/// <summary>
/// Runs <c>count</c> executions at a fixed open-loop rate and, every <c>sample</c> executions, waits until all started
/// ones have completed (the server's own completion counter on <c>/metrics</c>, polled every 100 ms, so no stream
/// grows with the run), then samples the server's RSS (/proc) and managed heap (its /metrics gauges). Every
/// <c>censusEvery</c> executions it also takes a <see cref="HeapCensus"/> of the server: the exact live set after a full
/// GC, and how many runners, node states and events are alive while nothing runs (all of them should be gone).
/// </summary>
internal static class SoakScenario
{
    private const string Completed = "agentflow_executions_completed_total{workflow=\"default/soak\"}";

    public static async Task RunAsync(LoadClient client, ServerProcess server, long count, int rate, int sample, long censusEvery, CancellationToken cancellationToken)
    {
        await client.CreateWorkflowAsync(LoadWorkflow.Yaml("soak"), cancellationToken).ConfigureAwait(false);
        var body = LoadClient.StartBody("soak");
        Console.WriteLine("| completed executions | elapsed | RSS | managed heap after last GC | after last gen-2 GC | gen-2 GCs | executions/s since last sample | load average |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var points = new List<Sample>();
        var censuses = new List<(long Executions, HeapCensus Census)>();
        var begin = Stopwatch.GetTimestamp();
        var errors = 0L;
        long sent = 0;
        while (sent < count)
        {
            var batchStart = Stopwatch.GetTimestamp();
            var batch = (int)Math.Min(sample, count - sent);
            var inFlight = new List<Task>(batch);
            var batchSent = 0;
            while (batchSent < batch)
            {
                var due = Math.Min(batch, (int)(Stopwatch.GetElapsedTime(batchStart).TotalSeconds * rate) + 1);
                for (; batchSent < due; batchSent++)
                {
                    inFlight.Add(StartOneAsync());
                }

                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
            sent += batch;
            while (await client.MetricAsync(Completed, cancellationToken).ConfigureAwait(false) < sent - Interlocked.Read(ref errors))
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            var heap = await client.MetricAsync("agentflow_process_gc_heap_bytes", cancellationToken).ConfigureAwait(false) / 1024;
            var live = await client.MetricAsync("agentflow_process_gc_heap_after_gen2_bytes", cancellationToken).ConfigureAwait(false) / 1024;
            var gen2 = await client.MetricAsync("agentflow_process_gc_gen2_collections", cancellationToken).ConfigureAwait(false);
            var rss = server.ResidentKilobytes();
            points.Add(new Sample(sent, rss, heap, live));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {sent:N0} | {Stopwatch.GetElapsedTime(begin).TotalSeconds:N0} s | {rss / 1024.0:N1} MB | {heap / 1024.0:N1} MB | {live / 1024.0:N1} MB | {gen2:N0} | {batch / Stopwatch.GetElapsedTime(batchStart).TotalSeconds:N0} | {Program.LoadAverage()} |"));
            if (censusEvery > 0 && (sent % censusEvery < sample || sent == count))
            {
                censuses.Add((sent, await HeapCensus.TakeAsync(server.ProcessId, cancellationToken).ConfigureAwait(false)));
            }
        }

        // Warm-up: the first fifth of the samples (JIT, pools, SQLite page cache) is left out of the slope.
        var steady = points.Skip(points.Count / 5).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"executions: {sent:N0} ({errors:N0} errors) in {Stopwatch.GetElapsedTime(begin).TotalSeconds:N0} s; slope over the last {steady.Count} samples ({(steady.Count == 0 ? 0 : steady[0].Executions):N0} → {sent:N0}): RSS {Slope(steady, p => p.RssKb):N2} KB, managed heap after last GC {Slope(steady, p => p.HeapKb):N2} KB, after last gen-2 GC {Slope(steady, p => p.LiveKb):N2} KB per 1,000 executions"));
        PrintCensuses(censuses);

        async Task StartOneAsync()
        {
            try
            {
                if (await client.StartAsync(body, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Interlocked.Increment(ref errors);
        }
    }

    private static readonly string[] Watched =
    [
        "AgentFlow.Runtime.Execution.ExecutionRunner",
        "AgentFlow.Core.Execution.ExecutionState",
        "AgentFlow.Core.Execution.NodeState",
        "AgentFlow.Core.Events.ExecutionStarted",
        "AgentFlow.Core.Events.NodeSucceeded",
        "AgentFlow.Core.Definitions.WorkflowDefinition",
        "AgentFlow.Core.Execution.CompiledGraph",
    ];

    private static void PrintCensuses(List<(long Executions, HeapCensus Census)> censuses)
    {
        if (censuses.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("Heap census (full blocking GC over EventPipe, all started executions completed):");
        Console.WriteLine();
        Console.WriteLine($"| completed executions | live heap | {string.Join(" | ", Watched.Select(w => w[(w.LastIndexOf('.') + 1)..]))} |");
        Console.WriteLine($"| ---: | ---: |{string.Concat(Watched.Select(_ => " ---: |"))}");
        foreach (var (executions, census) in censuses)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {executions:N0} | {census.TotalBytes / 1048576.0:N1} MB | {string.Join(" | ", Watched.Select(w => census.CountOf(w).ToString("N0", CultureInfo.InvariantCulture)))} |"));
        }

        // The first census is in the warm-up (JIT, pools, caches filling); growth is measured from the second.
        var (fromExecutions, from) = censuses.Count > 2 ? censuses[1] : censuses[0];
        var (toExecutions, to) = censuses[^1];
        if (toExecutions == fromExecutions)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"live heap {fromExecutions:N0} → {toExecutions:N0} executions: {from.TotalBytes / 1048576.0:N2} → {to.TotalBytes / 1048576.0:N2} MB, {(to.TotalBytes - from.TotalBytes) / (double)(toExecutions - fromExecutions):N3} bytes per execution; the types that grew most:"));
        Console.WriteLine();
        Console.WriteLine("| type | objects before | objects after | bytes before | bytes after |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (type, before, after) in to.GrowthSince(from, 10))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{type}` | {before.Objects:N0} | {after.Objects:N0} | {before.Bytes:N0} | {after.Bytes:N0} |"));
        }
    }

    /// <summary>Least-squares slope of <paramref name="value"/> against executions, per 1,000 executions.</summary>
    private static double Slope(List<Sample> points, Func<Sample, double> value)
    {
        if (points.Count < 2)
        {
            return double.NaN;
        }

        var meanX = points.Average(p => (double)p.Executions);
        var meanY = points.Average(value);
        var covariance = points.Sum(p => (p.Executions - meanX) * (value(p) - meanY));
        var variance = points.Sum(p => (p.Executions - meanX) * (p.Executions - meanX));
        return covariance / variance * 1000;
    }

    private sealed record Sample(long Executions, double RssKb, double HeapKb, double LiveKb);
}
