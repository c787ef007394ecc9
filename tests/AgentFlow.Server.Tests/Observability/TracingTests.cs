using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentFlow.Server.Observability;
using AgentFlow.Server.Tests.Workflows;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace AgentFlow.Server.Tests.Observability;

/// <summary>One span per execution with a child span per node attempt, exported over OTLP/HTTP when configured.</summary>
public sealed class TracingTests
{
    private const string TwoSteps = """
        id: two
        nodes:
          - id: first
            kind: transform
            with: 1
          - id: second
            kind: transform
            needs: first
            with: 2
        outputs:
          last: ${{ nodes.second.output }}
        """;

    [Fact]
    public async Task Otlp_Configured_ExecutionSpanWithNodeChildrenArrivesAtTheCollector()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var server = await ServerHarness.StartAsync(o => o with { Observability = new ObservabilityOptions { OtlpEndpoint = collector.BaseAddress } });
        await server.CreateWorkflowAsync(TwoSteps);
        var id = (await server.StartAsync("two"))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);

        var tracing = server.Services.GetRequiredService<TracerProvider>();
        var spans = await Eventually.GetAsync(
            () => Task.FromResult(tracing.ForceFlush(30_000) ? collector.Spans.Where(s => s.Attributes.GetValueOrDefault("agentflow.execution_id") == id).ToList() : []),
            found => found.Any(s => s.Name == "execution default/two"));
        var execution = Assert.Single(spans, s => s.Name == "execution default/two");
        Assert.Equal(string.Empty, execution.ParentSpanId);
        Assert.Equal("default/two", execution.Attributes["agentflow.workflow_id"]);
        var nodes = spans.Where(s => s.Name.StartsWith("node ", StringComparison.Ordinal)).OrderBy(s => s.StartNanos).ToList();
        Assert.Equal(["node first", "node second"], nodes.Select(n => n.Name));
        Assert.All(nodes, n => Assert.Equal((execution.TraceId, execution.SpanId), (n.TraceId, n.ParentSpanId)));
        Assert.All(nodes, n => Assert.InRange(n.StartNanos, execution.StartNanos, n.EndNanos));
        Assert.True(nodes[1].EndNanos <= execution.EndNanos);
        Assert.Contains("/v1/traces", collector.Paths);
    }

    [Fact]
    public async Task Spans_InProcessListener_NodeSpanIsChildOfTheExecutionSpan()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = ListenToSpans(stopped);
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "ann" }))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);

        var mine = await Eventually.GetAsync(
            () => Task.FromResult(stopped.Where(a => (string?)a.GetTagItem("agentflow.execution_id") == id).ToList()),
            found => found.Any(a => a.OperationName == "agentflow.execution"));
        var execution = Assert.Single(mine, a => a.OperationName == "agentflow.execution");
        var node = Assert.Single(mine, a => a.OperationName == "agentflow.node");
        Assert.Equal(default, execution.ParentSpanId);
        Assert.Equal(execution.SpanId, node.ParentSpanId);
        Assert.Equal("hello", node.GetTagItem("agentflow.node_id"));
        Assert.True(node.StartTimeUtc >= execution.StartTimeUtc && node.StartTimeUtc + node.Duration <= execution.StartTimeUtc + execution.Duration);
    }

    [Fact]
    public async Task Spans_MapItemExecutions_NestUnderTheParentExecutionSpan()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = ListenToSpans(stopped);
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync("""
            id: fan
            nodes:
              - id: each
                kind: map
                items: [1, 2]
                body:
                  nodes:
                    - id: double
                      kind: transform
                      with: ${{ item * 2 }}
            """);
        var id = (await server.StartAsync("fan"))["id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());

        var executions = await Eventually.GetAsync(
            () => Task.FromResult(stopped.Where(a => a.OperationName == "agentflow.execution").ToList()),
            found => found.Any(a => (string?)a.GetTagItem("agentflow.execution_id") == id));
        var root = Assert.Single(executions, a => (string?)a.GetTagItem("agentflow.execution_id") == id);
        var children = executions.Where(a => a.ParentSpanId == root.SpanId).ToList();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal(root.TraceId, c.TraceId));
    }

    /// <summary>Records every AgentFlow span that ends while the returned listener is alive.</summary>
    private static ActivityListener ListenToSpans(ConcurrentQueue<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentFlowInstruments.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
