using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Security;
using AgentFlow.Server.Tests.Security;
using AgentFlow.Server.Tests.Workflows;

namespace AgentFlow.Server.Tests.Observability;

/// <summary><c>GET /metrics</c> over real HTTP after real executions.</summary>
public sealed class MetricsEndpointTests
{
    private const string Failing = """
        id: broken
        nodes:
          - id: boom
            kind: fail
            with: { error: nope, message: always fails }
        """;

    [Fact]
    public async Task Metrics_AfterExecutions_CountsByWorkflowNodeDurationsAppendLatencyAndQueue()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        await server.CreateWorkflowAsync(Failing);
        for (var i = 0; i < 2; i++)
        {
            await server.WaitForEndAsync((await server.StartAsync("greet", new JsonObject { ["name"] = "ann" }))["id"]!.GetValue<string>());
        }

        var failed = await server.WaitForEndAsync((await server.StartAsync("broken"))["id"]!.GetValue<string>());
        Assert.Equal("failed", failed["status"]!.GetValue<string>());

        using var response = await server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await Eventually.GetAsync(
            () => server.Client.GetStringAsync("/metrics"),
            t => t.Contains("agentflow_executions_failed_total{workflow=\"default/broken\"} 1\n", StringComparison.Ordinal)
                && t.Contains("agentflow_executions_completed_total{workflow=\"default/greet\"} 2\n", StringComparison.Ordinal));
        Assert.Contains("# TYPE agentflow_executions_started_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("agentflow_executions_started_total{workflow=\"default/greet\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("agentflow_executions_completed_total{workflow=\"default/greet\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("agentflow_executions_failed_total{workflow=\"default/broken\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("agentflow_node_duration_seconds_count{kind=\"transform\",outcome=\"succeeded\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("agentflow_node_duration_seconds_bucket{kind=\"fail\",outcome=\"failed\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Matches(@"agentflow_store_append_duration_seconds_count [1-9]\d*\n", text);
        Assert.Contains("agentflow_queue_depth 0\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\nagentflow_process_gc_heap_bytes [1-9]\d*\n", text);
        Assert.Matches(@"\nagentflow_process_resident_bytes [1-9]\d*\n", text);
        Assert.Matches(@"\nagentflow_process_gc_gen2_collections \d+\n", text);
        Assert.Matches(@"\nagentflow_process_gc_heap_after_gen2_bytes \d+\n", text);
    }

    [Fact]
    public async Task Metrics_OpenStream_CountedAsActiveUntilClosed()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(SecuredServer.Waiting);
        var id = (await server.StartAsync("approval"))["id"]!.GetValue<string>();

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/executions/{id}/events"))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var stream = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

            Assert.Contains("agentflow_streams_active 1\n", await server.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }

        // The server notices the closed connection asynchronously; the gauge must come back to zero.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(await server.Client.GetStringAsync("/metrics", limit.Token)).Contains("agentflow_streams_active 0\n", StringComparison.Ordinal))
        {
            await Task.Delay(20, limit.Token);
        }
    }

    [Fact]
    public async Task Metrics_WithKeysRequired_NeedsAnAdminKey()
    {
        await using var server = await SecuredServer.StartAsync();

        using var anonymous = await server.Client(null).GetAsync("/metrics");
        using var reader = await server.Client(await server.KeyAsync("acme", ApiKeyScopes.Read)).GetAsync("/metrics");
        using var admin = await server.Client(await server.KeyAsync("acme", ApiKeyScopes.Admin)).GetAsync("/metrics");

        await ServerHarness.AssertProblemAsync(anonymous, 401, "missing-api-key");
        await ServerHarness.AssertProblemAsync(reader, 403, "missing-scope");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task Metrics_ConfiguredOpen_NoKeyNeeded()
    {
        await using var server = await SecuredServer.StartAsync(new SecurityOptions { MetricsRequireApiKey = false });

        using var response = await server.Client(null).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
