using System.Globalization;
using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Tests.Workflows;
using AgentFlow.Stores.InMemory;
using AgentFlow.Testing;

namespace AgentFlow.Server.Tests.Streams;

/// <summary>The workflow stream is incremental: woken by append announcements, it reads the logs announced, not the index.</summary>
public sealed class WorkflowFeedTests
{
    [Fact]
    public async Task WorkflowSse_ManyExecutions_DeliveredWithoutRescanningTheIndexOnEachWakeUp()
    {
        var store = new ScanCountingStore(new InMemoryWorkflowStore());
        await using var server = await ServerHarness.StartAsync(o => o with
        {
            Store = store,
            StreamSafetyPollInterval = TimeSpan.FromMinutes(10),
            StreamPollInterval = TimeSpan.FromMinutes(10),
        });
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var sse = await SseClient.ConnectAsync(server.Client, "/api/v1/workflows/greet/events");

        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await server.StartAsync("greet", new JsonObject { ["name"] = "n" + i }))["id"]!.GetValue<string>());
        }

        var received = new List<SseEvent>();
        while (received.Count(e => e.Name == "executionCompleted") < ids.Count)
        {
            received.Add(await sse.ReadAsync(limit.Token) ?? throw new InvalidOperationException("The workflow stream closed."));
        }

        foreach (var id in ids)
        {
            var history = (await server.GetJsonAsync($"/api/v1/executions/{id}/history"))["events"]!.AsArray();
            var sequences = received.Where(e => e.Id!.StartsWith(id + ":", StringComparison.Ordinal)).Select(e => e.Id![(id.Length + 1)..]);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(n => n.ToString(CultureInfo.InvariantCulture)), sequences);
        }

        // One scan for executions created since the stream opened, when it opened; none per wake-up.
        Assert.Equal(1, store.Scans);
    }

    /// <summary>Counts index queries by creation time (the feed's scan for new executions).</summary>
    private sealed class ScanCountingStore(IWorkflowStore inner) : DelegatingWorkflowStore(inner), IWorkflowStore
    {
        private int _scans;

        public int Scans => Volatile.Read(ref _scans);

        public new ValueTask<ExecutionPage> QueryExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
        {
            if (query.CreatedFrom is not null)
            {
                Interlocked.Increment(ref _scans);
            }

            return Inner.QueryExecutionsAsync(query, cancellationToken);
        }
    }
}
