using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using AgentFlow.Core.Dsl;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Server.Executions;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Tests.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Streams;

public sealed class StreamTests
{
    [Fact]
    public async Task Sse_LiveExecution_DeliversEveryEventInOrderThenEnds()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Slow("500ms"));
        var id = (await server.StartAsync("slow"))["id"]!.GetValue<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events");
        var first = await sse.ReadAsync(limit.Token);
        var statusWhileStreaming = (await server.GetJsonAsync($"/api/v1/executions/{id}"))["status"]!.GetValue<string>();
        var rest = await sse.ReadToEndAsync(limit.Token);

        Assert.Equal("running", statusWhileStreaming);
        Assert.Equal("1", first!.Id);
        Assert.Equal("executionStarted", first.Name);
        var stored = rest.Where(e => e.Id is not null).Prepend(first).ToList();
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), stored.Select(e => e.Id));
        Assert.Equal("executionCompleted", stored[^1].Name);
        Assert.Equal("end", rest[^1].Name);
        var history = (await server.GetJsonAsync($"/api/v1/executions/{id}/history"))["events"]!.AsArray();
        Assert.Equal(history.Count, stored.Count);
    }

    [Fact]
    public async Task Sse_ReconnectWithLastEventId_GetsExactlyTheMissingEvents()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Slow("500ms"));
        var id = (await server.StartAsync("slow"))["id"]!.GetValue<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var received = new List<SseEvent>();
        await using (var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events"))
        {
            received.Add((await sse.ReadAsync(limit.Token))!);
            received.Add((await sse.ReadAsync(limit.Token))!);
        }

        await using var resumed = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events", lastEventId: received[^1].Id);
        received.AddRange((await resumed.ReadToEndAsync(limit.Token)).Where(e => e.Id is not null));

        var history = (await server.GetJsonAsync($"/api/v1/executions/{id}/history"))["events"]!.AsArray();
        Assert.Equal(history.Select(e => e!["sequence"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture)), received.Select(e => e.Id));
    }

    [Fact]
    public async Task Sse_AfterQuery_StartsAfterThatSequence()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events?after=3");
        var events = await sse.ReadToEndAsync(limit.Token);

        Assert.Equal("4", events[0].Id);
        Assert.Equal("end", events[^1].Name);
    }

    [Fact]
    public async Task Sse_AfterTheTerminalEventOfAnEndedExecution_SendsEndAndCloses()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();
        var last = (await server.WaitForEndAsync(id))["lastSequence"]!.GetValue<long>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Before the fix this stream never ended: no event follows the terminal one, and it kept polling for one.
        await using var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events?after={last}");
        var events = await sse.ReadToEndAsync(limit.Token);

        Assert.Equal(["end"], events.Select(e => e.Name));
    }

    [Fact]
    public async Task Sse_BadLastEventId_Returns400Problem()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/executions/{id}/events");
        request.Headers.Add("Last-Event-ID", "abc");

        using var response = await server.Client.SendAsync(request);

        await ServerHarness.AssertProblemAsync(response, 400, "invalid-last-event-id");
    }

    [Fact]
    public async Task WebSocket_LiveExecution_SendsEveryEventThenCloses_AndResumesAfter()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Slow("300ms"));
        var id = (await server.StartAsync("slow"))["id"]!.GetValue<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var all = await ReceiveAllAsync(server, $"/api/v1/executions/{id}/ws", limit.Token);
        var resumed = await ReceiveAllAsync(server, $"/api/v1/executions/{id}/ws?after=2", limit.Token);

        var sequences = all.Where(m => m["sequence"] is not null).Select(m => m["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.Equal("executionCompleted", all[^1]["kind"]!.GetValue<string>());
        Assert.Equal(sequences.Skip(2), resumed.Select(m => m["sequence"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Sse_ServerStops_StreamEndsAndShutdownDoesNotWaitForTheClient()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var id = (await server.StartAsync("approval"))["id"]!.GetValue<string>();
        await using var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal("1", (await sse.ReadAsync(limit.Token))!.Id);

        // Without ending streams at stop, the host would wait for this client until its 30 s shutdown timeout.
        var stopping = server.StopAsync();
        var rest = sse.ReadToEndAsync(limit.Token);
        await Task.WhenAny(Task.WhenAll(stopping, rest), Task.Delay(TimeSpan.FromSeconds(20), limit.Token));

        Assert.True(stopping.IsCompletedSuccessfully && rest.IsCompleted, "the stream kept the server from stopping");
        Assert.DoesNotContain(await rest, e => e.Name == "end");
    }

    [Fact]
    public async Task WebSocket_PlainGet_Returns400Problem()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();

        using var response = await server.Client.GetAsync($"/api/v1/executions/{id}/ws");

        await ServerHarness.AssertProblemAsync(response, 400, "websocket-required");
    }

    [Fact]
    public async Task Sse_ExecutionRunByAnotherRuntime_ArrivesThroughTheStore()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Slow("300ms"));
        var store = server.Services.GetRequiredService<RuntimeService>().Store;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // A second runtime over the same store stands in for another server process: the server's runtime never sees its events.
        using var other = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        await using var otherHost = new WorkflowHost(other, new WorkflowHostOptions { OwnerId = "elsewhere" });
        var stored = (await store.GetLatestDefinitionAsync("default/slow", limit.Token))!;
        var definition = WorkflowLoader.Load(stored.Source, "slow.yaml", StandardNodes.Catalog).Definition! with { Id = stored.WorkflowId, Version = stored.Version };
        var handle = await otherHost.StartAsync(definition, Core.Values.Value.EmptyObject, null, limit.Token);
        await store.SetLabelsAsync(handle.ExecutionId, new Dictionary<string, string> { [ExecutionLabels.Tenant] = "default" }, limit.Token);

        await using var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{handle.ExecutionId}/events");
        var events = await sse.ReadToEndAsync(limit.Token);

        Assert.Null(server.Services.GetRequiredService<RuntimeService>().Runtime.GetHandle(handle.ExecutionId));
        Assert.Equal("executionCompleted", events.Last(e => e.Id is not null).Name);
        Assert.Equal(events.Count(e => e.Id is not null), events.Where(e => e.Id is not null).Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task WorkflowSse_DeliversEventsOfEveryNewExecution()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Slow("100ms"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var sse = await SseClient.ConnectAsync(server.Client, "/api/v1/workflows/slow/events");
        var a = (await server.StartAsync("slow"))["id"]!.GetValue<string>();
        var b = (await server.StartAsync("slow"))["id"]!.GetValue<string>();
        var completed = new HashSet<string>();
        var ids = new List<string>();
        while (completed.Count < 2 && await sse.ReadAsync(limit.Token) is { } e)
        {
            ids.Add(e.Id!);
            if (e.Name == "executionCompleted")
            {
                completed.Add(JsonNode.Parse(e.Data)!["executionId"]!.GetValue<string>());
            }
        }

        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), completed.Order(StringComparer.Ordinal));
        Assert.Contains($"{a}:1", ids);
        Assert.Contains($"{b}:1", ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static async Task<List<JsonObject>> ReceiveAllAsync(ServerHarness server, string path, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(new Uri(server.BaseAddress, path)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        var messages = new List<JsonObject>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
                return messages;
            }

            messages.Add(JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject());
        }
    }
}
