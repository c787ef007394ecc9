using System.Text.Json.Nodes;
using AgentFlow.Server.Tests.Streams;
using AgentFlow.Server.Tests.Workflows;
using AgentFlow.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>FlowGram tasks belong to the tenant that started them, and are executions of the /api/v1 API too.</summary>
public sealed class FlowGramTenantTests
{
    [Fact]
    public async Task TaskRoutes_OtherTenantsRunningTask_AnswerLikeUnknownAndChangeNothing()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await LoopbackHttpServer.StartAsync(async context =>
        {
            await release.Task.WaitAsync(context.RequestAborted);
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("released", context.RequestAborted);
        });
        await using var server = await ServerHarness.StartAsync();
        using var a = server.ClientForTenant("tenant-a");
        using var b = server.ClientForTenant("tenant-b");
        using var run = await a.PostAsync("/api/task/run", ServerHarness.Json(new JsonObject { ["schema"] = FlowGramDurabilityTests.Schema(upstream.BaseAddress + "wait"), ["inputs"] = new JsonObject() }));
        var taskId = (await ServerHarness.ReadAsync(run))["taskID"]!.GetValue<string>();

        using var report = await b.GetAsync($"/api/task/report?taskID={taskId}");
        using var result = await b.GetAsync($"/api/task/result?taskID={taskId}");
        using var cancel = await b.PutAsync("/api/task/cancel", ServerHarness.Json(new JsonObject { ["taskID"] = taskId }));

        Assert.Equal(string.Empty, await report.Content.ReadAsStringAsync());
        Assert.Equal(string.Empty, await result.Content.ReadAsStringAsync());
        Assert.False((await ServerHarness.ReadAsync(cancel))["success"]!.GetValue<bool>());
        Assert.Empty(JsonNode.Parse(await b.GetStringAsync("/api/v1/executions"))!["items"]!.AsArray());
        using (var stream = await b.GetAsync($"/api/v1/executions/{taskId}/events"))
        {
            await ServerHarness.AssertProblemAsync(stream, 404);
        }

        // The owner lists it (under its stored workflow id), streams it to the end, and B's cancel changed nothing.
        var listed = Assert.Single(JsonNode.Parse(await a.GetStringAsync("/api/v1/executions"))!["items"]!.AsArray());
        Assert.Equal(taskId, listed!["id"]!.GetValue<string>());
        Assert.StartsWith("flowgram-", listed["workflowId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("running", listed["status"]!.GetValue<string>());
        await using var sse = await SseClient.ConnectAsync(a, $"/api/v1/executions/{taskId}/events");
        release.SetResult();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = await sse.ReadToEndAsync(limit.Token);
        Assert.Equal("executionCompleted", events.Last(e => e.Name != "end").Name);
        var own = await server.GetJsonAsync($"/api/task/result?taskID={taskId}", a);
        Assert.Equal("released", own["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartExecution_StoredFlowGramWorkflow_RunsAsTaskThatBothApisAnswerFor()
    {
        await using var server = await ServerHarness.StartAsync();
        var testCase = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowApiTests.RepositoryRoot(), "tests/flowgram/cases/code-hello.json")))!;
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowApiTests.RepositoryRoot(), "tests/flowgram/expected/code-hello.json")))!;
        using (var create = await server.Client.PostAsync("/api/v1/workflows?id=hello", ServerHarness.Json(testCase["schema"]!.ToJsonString())))
        {
            Assert.True(create.StatusCode == System.Net.HttpStatusCode.Created, await create.Content.ReadAsStringAsync());
        }

        var started = await server.StartAsync("hello", testCase["inputs"]?.DeepClone().AsObject());
        var id = started["id"]!.GetValue<string>();
        var ended = await server.WaitForEndAsync(id);

        Assert.Equal("hello", started["workflowId"]!.GetValue<string>());
        Assert.Equal(1, started["workflowVersion"]!.GetValue<int>());
        Assert.Equal("succeeded", ended["status"]!.GetValue<string>());
        var result = await server.GetJsonAsync($"/api/task/result?taskID={id}");
        Assert.True(JsonNode.DeepEquals(expected["result"], result), result.ToJsonString());
        Assert.Equal("succeeded", (await server.GetJsonAsync($"/api/task/report?taskID={id}"))["workflowStatus"]!["status"]!.GetValue<string>());
        var report = await server.GetJsonAsync($"/api/v1/executions/{id}/report");
        Assert.NotEmpty(report.ToJsonString());
        Assert.Equal(id, Assert.Single(JsonNode.Parse(await server.Client.GetStringAsync("/api/v1/executions?workflowId=hello"))!["items"]!.AsArray())!["id"]!.GetValue<string>());

        // Another tenant neither finds the task nor can start the workflow.
        using var other = server.ClientForTenant("other");
        using var otherResult = await other.GetAsync($"/api/task/result?taskID={id}");
        using var otherStart = await other.PostAsync("/api/v1/executions", ServerHarness.Json(new JsonObject { ["workflowId"] = "hello", ["inputs"] = testCase["inputs"]?.DeepClone() }));
        Assert.Equal(string.Empty, await otherResult.Content.ReadAsStringAsync());
        await ServerHarness.AssertProblemAsync(otherStart, 404);
    }
}
