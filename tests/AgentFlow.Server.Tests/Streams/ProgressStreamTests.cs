using System.Text.Json.Nodes;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Runtime;

namespace AgentFlow.Server.Tests.Streams;

/// <summary>Partial node output (e.g. LLM tokens) reaches stream clients as non-persisted progress events.</summary>
public sealed class ProgressStreamTests
{
    [Fact]
    public async Task Sse_NodeReportsProgress_ClientGetsProgressEventsWithoutIds()
    {
        var (server, id, events) = await WatchTickerAsync(new TickerExecutor());
        await using (server)
        {
            var progress = events.Where(e => e.Name == "progress").ToList();
            Assert.Equal(["Hel", "lo", "!"], progress.Select(p => JsonNode.Parse(p.Data)!["partial"]!.GetValue<string>()));
            Assert.All(progress, p => Assert.Null(p.Id));
            Assert.All(progress, p => Assert.Equal("llm", JsonNode.Parse(p.Data)!["nodeId"]!.GetValue<string>()));
            var history = (await server.GetJsonAsync($"/api/v1/executions/{id}/history"))["events"]!.AsArray();
            Assert.Equal(history.Count, events.Count(e => e.Id is not null));
            Assert.Equal("Hello!", (await server.GetJsonAsync($"/api/v1/executions/{id}/report"))["outputs"]!["text"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Sse_ManyTokensReportedRightBeforeTheEnd_ClientGetsEveryOneBeforeTheEnd()
    {
        // The end is appended right after the last token: the stream must not end on the stored end event while tokens
        // the runner reported before it are still on their way to the client.
        var tokens = Enumerable.Range(0, 400).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (server, _, events) = await WatchTickerAsync(new TickerExecutor(tokens));
        await using (server)
        {
            Assert.Equal(tokens, events.Where(e => e.Name == "progress").Select(p => JsonNode.Parse(p.Data)!["partial"]!.GetValue<string>()));
            Assert.True(events.FindLastIndex(e => e.Name == "progress") < events.FindIndex(e => e.Name == "executionCompleted"));
        }
    }

    /// <summary>Runs a one-node workflow of <paramref name="ticker"/> and reads its whole event stream.</summary>
    private static async Task<(ServerHarness Server, string Id, List<SseEvent> Events)> WatchTickerAsync(TickerExecutor ticker)
    {
        var server = await ServerHarness.StartAsync(o => o with
        {
            Catalog = StandardNodes.Catalog.With(new NodeKindInfo("ticker", "Reports partial tokens, then returns them joined.", Mode: ParameterMode.AnyValue)),
            ConfigureNodes = registry => registry.Register("ticker", ticker),
        });
        try
        {
            await server.CreateWorkflowAsync("id: tokens\nnodes:\n  - id: llm\n    kind: ticker\n    with: null\noutputs:\n  text: ${{ nodes.llm.output }}\n");
            var id = (await server.StartAsync("tokens"))["id"]!.GetValue<string>();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

            await using var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events");
            var events = new List<SseEvent>();
            while (await sse.ReadAsync(limit.Token) is { } e)
            {
                events.Add(e);
                if (e.Name == "nodeStarted")
                {
                    ticker.Go.TrySetResult();
                }
            }

            return (server, id, events);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the test's client is watching, then reports its tokens.</summary>
    private sealed class TickerExecutor(string[]? tokens = null) : INodeExecutor
    {
        private readonly string[] _tokens = tokens ?? ["Hel", "lo", "!"];

        public TaskCompletionSource Go { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
        {
            await Go.Task.WaitAsync(cancellationToken);
            foreach (var token in _tokens)
            {
                context.Progress.Report(token);
            }

            return string.Concat(_tokens);
        }
    }
}
