using System.Diagnostics;
using System.Globalization;

namespace AgentFlow.Load;

/// <summary>
/// Open-loop load at increasing target rates: starts are sent on a fixed schedule whether or not earlier ones have
/// answered, each step on its own workflow (so the workflow stream of one step carries only that step's executions).
/// Stops after the first step the server cannot keep up with.
/// </summary>
internal static class StepScenario
{
    public const string Header = """
        | target starts/s | achieved starts/s | completions/s | started | completed in window | unfinished at window end | drain after window | p50 | p90 | p99 | max | errors | load average |
        | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
        """;

    public static async Task RunAsync(LoadClient client, IReadOnlyList<int> rates, TimeSpan stepLength, bool perExecution, CancellationToken cancellationToken)
    {
        foreach (var rate in rates)
        {
            var keptUp = await StepAsync(client, rate, stepLength, perExecution, cancellationToken).ConfigureAwait(false);
            if (!keptUp)
            {
                break;
            }
        }
    }

    private static async Task<bool> StepAsync(LoadClient client, int rate, TimeSpan stepLength, bool perExecution, CancellationToken cancellationToken)
    {
        var workflowId = string.Create(CultureInfo.InvariantCulture, $"load-{rate}");
        await client.CreateWorkflowAsync(LoadWorkflow.Yaml(workflowId), cancellationToken).ConfigureAwait(false);
        var body = LoadClient.StartBody(workflowId);
        await using var feed = await CompletionFeed.OpenAsync(client.Http, workflowId, perExecution, cancellationToken).ConfigureAwait(false);

        var errors = 0;
        var sent = 0;
        var inFlight = new List<Task>();
        var begin = Stopwatch.GetTimestamp();
        var total = (long)(rate * stepLength.TotalSeconds);
        while (sent < total)
        {
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(begin).TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                inFlight.Add(StartOneAsync());
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }

        var sendSeconds = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        var windowEnd = Stopwatch.GetTimestamp();
        var completedInWindow = feed.Count;
        await Task.WhenAll(inFlight).ConfigureAwait(false);

        // Drain: the backlog left when the sending stopped, given up to a minute to finish.
        var started = sent - errors;
        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            drain.CancelAfter(TimeSpan.FromMinutes(1));
            while (feed.Count < started && !drain.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var drainSeconds = Stopwatch.GetElapsedTime(windowEnd).TotalSeconds;
        var completions = feed.Completions();
        var latencies = completions.Select(c => c.LatencyMs).Order().ToArray();
        var unfinished = started - completedInWindow;
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {rate:N0} | {sent / sendSeconds:N0} | {completedInWindow / sendSeconds:N0} | {started:N0} | {completedInWindow:N0} | {unfinished:N0} | {drainSeconds:N1} s | {Percentile(latencies, 0.50):N1} ms | {Percentile(latencies, 0.90):N1} ms | {p99:N1} ms | {(latencies.Length == 0 ? 0 : latencies[^1]):N1} ms | {errors + feed.Failed + (started - completions.Count)} | {Program.LoadAverage()} |"));

        // Kept up: sent on schedule, at most one second of work left over and the tail below a second.
        return sent / sendSeconds >= rate * 0.9 && unfinished <= rate && p99 < 1000 && completions.Count == started;

        async Task StartOneAsync()
        {
            var at = Stopwatch.GetTimestamp();
            try
            {
                if (await client.StartAsync(body, cancellationToken).ConfigureAwait(false) is { } started)
                {
                    feed.Started(started.Id, started.LastSequence, at);
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Interlocked.Increment(ref errors);
        }
    }

    internal static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
