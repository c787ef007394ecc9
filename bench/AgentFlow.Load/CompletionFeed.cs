using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace AgentFlow.Load;

/// <summary>
/// Sees each execution's terminal event on an SSE stream and pairs it with the moment its start request was sent:
/// either one stream per execution (<c>/api/v1/executions/{id}/events?after=N</c>, opened when the start answers; the
/// server wakes it from the in-process runner) or the workflow-level stream (one connection for the whole step; the
/// server polls the store for it every 250 ms). The terminal event can arrive before the start's response on the
/// workflow stream (the id is only known then), so whichever of the two comes second records the latency.
/// </summary>
internal sealed class CompletionFeed : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long At, bool Succeeded)> _endedAt = new(StringComparer.Ordinal);
    private readonly List<(long EndedAt, double LatencyMs)> _completions = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly HttpClient? _perExecution;
    private readonly List<Task> _streams = [];
    private int _failed;
    private int _streamErrors;

    private CompletionFeed(Stream stream, HttpResponseMessage response)
    {
        _reader = Task.Run(() => ReadAsync(stream, response, executionIdOf: string.Empty, _stop.Token));
    }

    private CompletionFeed(HttpClient perExecution)
    {
        _perExecution = perExecution;
        _reader = Task.CompletedTask;
    }

    public int Failed => Volatile.Read(ref _failed);

    public static async Task<CompletionFeed> OpenAsync(HttpClient http, string workflowId, bool perExecution, CancellationToken cancellationToken)
    {
        if (perExecution)
        {
            return new CompletionFeed(http);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/workflows/{workflowId}/events", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new CompletionFeed(stream, response);
    }

    /// <summary>Records that <paramref name="executionId"/>'s start was sent at <paramref name="sentAt"/> (a Stopwatch timestamp).</summary>
    public void Started(string executionId, long lastSequence, long sentAt)
    {
        lock (_gate)
        {
            if (_perExecution is { } http)
            {
                // One event before the start's last: a run of local nodes often ends before the start answers, and the
                // stream then has to replay the terminal event itself (a stream after it only says end).
                _streams.Add(FollowAsync(http, executionId, Math.Max(0, lastSequence - 1), _stop.Token));
            }

            if (_endedAt.Remove(executionId, out var ended))
            {
                Complete(sentAt, ended.At, ended.Succeeded);
            }
            else
            {
                _sentAt[executionId] = sentAt;
            }
        }
    }

    /// <summary>Completions recorded so far: when each was seen (Stopwatch timestamp) and its start-to-end latency.</summary>
    public List<(long EndedAt, double LatencyMs)> Completions()
    {
        lock (_gate)
        {
            return [.. _completions];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _completions.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            Task[] streams;
            lock (_gate)
            {
                streams = [.. _streams];
            }

            await Task.WhenAll([_reader, .. streams]).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void Complete(long sentAt, long endedAt, bool succeeded)
    {
        _completions.Add((endedAt, Stopwatch.GetElapsedTime(sentAt, endedAt).TotalMilliseconds));
        if (!succeeded)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    private async Task FollowAsync(HttpClient http, string executionId, long after, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(string.Create(CultureInfo.InvariantCulture, $"/api/v1/executions/{executionId}/events?after={after}"), UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await ReadAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response, executionId, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // Counted as an error by the step (no completion for a started execution); shown once per kind.
            if (Interlocked.Increment(ref _streamErrors) == 1)
            {
                await Console.Error.WriteLineAsync($"execution stream {executionId}: {ex.Message}").ConfigureAwait(false);
            }
        }
    }

    private async Task ReadAsync(Stream stream, HttpResponseMessage response, string executionIdOf, CancellationToken cancellationToken)
    {
        using (response)
        using (var reader = new StreamReader(stream))
        {
            string? id = null;
            string? name = null;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.Length == 0)
                {
                    if (id is not null && name is "executionCompleted" or "executionFailed" or "executionCancelled")
                    {
                        // Workflow stream ids are "<execution>:<sequence>"; an execution stream's are the sequence alone.
                        var colon = id.LastIndexOf(':');
                        Ended(colon < 0 ? executionIdOf : id[..colon], Stopwatch.GetTimestamp(), name == "executionCompleted");
                        if (colon < 0)
                        {
                            return;
                        }
                    }

                    id = null;
                    name = null;
                }
            }
        }
    }

    private void Ended(string executionId, long at, bool succeeded)
    {
        lock (_gate)
        {
            if (_sentAt.Remove(executionId, out var sentAt))
            {
                Complete(sentAt, at, succeeded);
            }
            else
            {
                _endedAt[executionId] = (at, succeeded);
            }
        }
    }
}
