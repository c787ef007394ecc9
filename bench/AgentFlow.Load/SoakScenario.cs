using System.Diagnostics;
using System.Globalization;

namespace AgentFlow.Load;

/// <summary>
/// Runs <c>count</c> executions at a fixed open-loop rate and, every <c>sample</c> executions, waits until all started
/// ones have completed (the server's own completion counter on <c>/metrics</c>, polled every 100 ms, so no stream
/// grows with the run), then samples the server's RSS (/proc) and managed heap (its /metrics gauges).
/// </summary>
internal static class SoakScenario
{
    private const string Completed = "agentflow_executions_completed_total{workflow=\"default/soak\"}";

    public static async Task RunAsync(LoadClient client, ServerProcess server, long count, int rate, int sample, CancellationToken cancellationToken)
    {
        await client.CreateWorkflowAsync(LoadWorkflow.Yaml("soak"), cancellationToken).ConfigureAwait(false);
        var body = LoadClient.StartBody("soak");
        Console.WriteLine("| completed executions | elapsed | RSS | managed heap after last GC | after last gen-2 GC | gen-2 GCs | executions/s since last sample | load average |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var points = new List<Sample>();
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
        }

        // Warm-up: the first fifth of the samples (JIT, pools, SQLite page cache) is left out of the slope.
        var steady = points.Skip(points.Count / 5).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"executions: {sent:N0} ({errors:N0} errors) in {Stopwatch.GetElapsedTime(begin).TotalSeconds:N0} s; slope over the last {steady.Count} samples ({(steady.Count == 0 ? 0 : steady[0].Executions):N0} → {sent:N0}): RSS {Slope(steady, p => p.RssKb):N2} KB, managed heap after last GC {Slope(steady, p => p.HeapKb):N2} KB, after last gen-2 GC {Slope(steady, p => p.LiveKb):N2} KB per 1,000 executions"));

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
