using AgentFlow.Server.Hosting;
using AgentFlow.Server.Tests.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Streams;

/// <summary>Two servers over one PostgreSQL database: a stream on one shows executions the other runs.</summary>
public sealed class PostgresStreamTests
{
    private static readonly string ConnectionString = Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES") ?? string.Empty;

    [PostgresFact]
    public async Task Sse_OnSecondServer_DeliversEventsOfExecutionRunByFirst()
    {
        var schema = "srv_" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await ServerHarness.StartAsync(o => o with { PostgresConnectionString = ConnectionString, PostgresSchema = schema });
        await using var second = await ServerHarness.StartAsync(o => o with { PostgresConnectionString = ConnectionString, PostgresSchema = schema });
        await first.CreateWorkflowAsync(TestWorkflows.Slow("500ms"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var id = (await first.StartAsync("slow"))["id"]!.GetValue<string>();
        await using var sse = await SseClient.ConnectAsync(second.Client, $"/api/v1/executions/{id}/events");
        var events = await sse.ReadToEndAsync(limit.Token);

        Assert.Null(second.Services.GetRequiredService<RuntimeService>().Runtime.GetHandle(id));
        var stored = events.Where(e => e.Id is not null).ToList();
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), stored.Select(e => e.Id));
        Assert.Equal("executionCompleted", stored[^1].Name);
        Assert.Equal("succeeded", (await second.GetJsonAsync($"/api/v1/executions/{id}"))["status"]!.GetValue<string>());
        Assert.Equal(2, (await second.GetJsonAsync($"/api/v1/executions/{id}/report"))["outputs"]!["last"]!.GetValue<int>());
    }
}
