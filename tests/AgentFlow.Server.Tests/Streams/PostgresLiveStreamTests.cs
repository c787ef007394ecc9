using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Tests.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Streams;

/// <summary>
/// Streams on one server of executions another server runs over the same PostgreSQL database, with the streaming
/// server's safety poll at ten minutes: within the tests' bounds only the store's append announcements
/// (<c>pg_notify</c> in the append's transaction, heard through LISTEN) can explain an event arriving.
/// </summary>
public sealed class PostgresLiveStreamTests : IAsyncLifetime
{
    private static readonly string ConnectionString = Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES") ?? string.Empty;

    // Generous: a notification arrives in milliseconds; without one the next look at the store is ten minutes away.
    private static readonly TimeSpan LiveBound = TimeSpan.FromSeconds(30);

    private readonly string _schema = "live_" + Guid.NewGuid().ToString("N")[..12];
    private ServerHarness? _streaming;
    private ServerHarness? _running;

    /// <summary>The server the client streams from; it never runs the executions.</summary>
    private ServerHarness Streaming => _streaming!;

    /// <summary>The server that starts and runs the executions, standing in for a worker process.</summary>
    private ServerHarness Running => _running!;

    public async Task InitializeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            return;
        }

        _streaming = await ServerHarness.StartAsync(o => o with
        {
            PostgresConnectionString = ConnectionString,
            PostgresSchema = _schema,
            StreamSafetyPollInterval = TimeSpan.FromMinutes(10),
            StreamPollInterval = TimeSpan.FromMinutes(10),
        });
        _running = await ServerHarness.StartAsync(o => o with { PostgresConnectionString = ConnectionString, PostgresSchema = _schema });
        await Running.CreateWorkflowAsync(TestWorkflows.Approval);
    }

    public async Task DisposeAsync()
    {
        if (_streaming is not null)
        {
            await _streaming.DisposeAsync();
        }

        if (_running is not null)
        {
            await _running.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task ExecutionSse_RunByAnotherServer_EveryEventInOrderLive()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var id = (await Running.StartAsync("approval"))["id"]!.GetValue<string>();
        await using var sse = await SseClient.ConnectAsync(Streaming.Client, $"/api/v1/executions/{id}/events");
        var first = await sse.ReadAsync(limit.Token);
        Assert.Equal(("1", "executionStarted"), (first!.Id, first.Name));

        // The execution waits for this signal, so everything after it is written after the stream was open.
        var sent = Stopwatch.StartNew();
        await SignalAsync(id);
        var rest = await sse.ReadToEndAsync(limit.Token);
        var delivered = sent.Elapsed;

        Assert.Null(Streaming.Services.GetRequiredService<RuntimeService>().Runtime.GetHandle(id));
        var stored = new[] { first }.Concat(rest.Where(e => e.Id is not null)).ToList();
        Assert.Equal(Numbers(1, stored.Count), stored.Select(e => e.Id));
        Assert.Equal("executionCompleted", stored[^1].Name);
        Assert.Equal("end", rest[^1].Name);
        Assert.Equal(await LastSequenceAsync(id), stored.Count);
        Assert.True(delivered < LiveBound, $"the end arrived {delivered} after the signal");
    }

    [PostgresFact]
    public async Task ExecutionSse_ResumedWithLastEventId_ContinuesAfterItLive()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var id = (await Running.StartAsync("approval"))["id"]!.GetValue<string>();
        await using (var before = await SseClient.ConnectAsync(Streaming.Client, $"/api/v1/executions/{id}/events"))
        {
            Assert.Equal("1", (await before.ReadAsync(limit.Token))!.Id);
        }

        await using var resumed = await SseClient.ConnectAsync(Streaming.Client, $"/api/v1/executions/{id}/events", lastEventId: "1");
        await SignalAsync(id);
        var rest = await resumed.ReadToEndAsync(limit.Token);

        var stored = rest.Where(e => e.Id is not null).ToList();
        Assert.Equal(Numbers(2, stored.Count), stored.Select(e => e.Id));
        Assert.Equal("executionCompleted", stored[^1].Name);
        Assert.Equal(await LastSequenceAsync(id), stored.Count + 1);
    }

    [PostgresFact]
    public async Task WorkflowSse_ExecutionsStartedByAnotherServer_AllTheirEventsInOrder()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var feed = await SseClient.ConnectAsync(Streaming.Client, "/api/v1/workflows/approval/events");
        string[] ids = [(await Running.StartAsync("approval"))["id"]!.GetValue<string>(), (await Running.StartAsync("approval"))["id"]!.GetValue<string>()];

        // Both started (seen on the stream) before either is signalled: their later events are live.
        var received = new List<SseEvent>();
        await ReadUntilAsync(feed, received, () => ids.All(id => received.Any(e => e.Id == id + ":1")), limit.Token);
        var sent = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            await SignalAsync(id);
        }

        await ReadUntilAsync(feed, received, () => received.Count(e => e.Name == "executionCompleted") == ids.Length, limit.Token);
        Assert.True(sent.Elapsed < LiveBound, $"both ends arrived {sent.Elapsed} after the signals");

        foreach (var id in ids)
        {
            var sequences = received.Where(e => e.Id!.StartsWith(id + ":", StringComparison.Ordinal)).Select(e => e.Id![(id.Length + 1)..]).ToList();
            Assert.Equal(Numbers(1, (int)await LastSequenceAsync(id)), sequences);
        }
    }

    private static async Task ReadUntilAsync(SseClient feed, List<SseEvent> received, Func<bool> done, CancellationToken cancellationToken)
    {
        while (!done())
        {
            received.Add(await feed.ReadAsync(cancellationToken) ?? throw new InvalidOperationException("The workflow stream closed."));
        }
    }

    private async Task SignalAsync(string id)
    {
        using var signal = await Running.Client.PostAsync($"/api/v1/executions/{id}/signal", ServerHarness.Json(new JsonObject { ["name"] = "approval", ["payload"] = "yes" }));
        Assert.True(signal.IsSuccessStatusCode, await signal.Content.ReadAsStringAsync());
    }

    private async Task<long> LastSequenceAsync(string id)
    {
        var history = await Running.GetJsonAsync($"/api/v1/executions/{id}/history");
        return history["events"]!.AsArray().Count;
    }

    private static IEnumerable<string> Numbers(int from, int count) => Enumerable.Range(from, count).Select(i => i.ToString(CultureInfo.InvariantCulture));
}
