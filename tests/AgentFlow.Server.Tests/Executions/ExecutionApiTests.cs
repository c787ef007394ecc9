using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Server.Tests.Workflows;

namespace AgentFlow.Server.Tests.Executions;

public sealed class ExecutionApiTests
{
    [Fact]
    public async Task Start_RunsToCompletion_ReportAndHistoryShowIt()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());

        var started = await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" });
        var id = started["id"]!.GetValue<string>();
        var done = await server.WaitForEndAsync(id);
        var report = await server.GetJsonAsync($"/api/v1/executions/{id}/report");
        var history = await server.GetJsonAsync($"/api/v1/executions/{id}/history");

        Assert.Equal("greet", started["workflowId"]!.GetValue<string>());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("hello Ada", report["outputs"]!["greeting"]!.GetValue<string>());
        Assert.Equal("greet", report["workflowId"]!.GetValue<string>());
        var events = history["events"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e!["sequence"]!.GetValue<int>()));
        Assert.Equal("greet", events[0]!["workflowId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_AfterWorkflowDeletedAndSavedAgain_RunsTheNewText()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet(greeting: "hello"));
        var before = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(before);

        using (var deleted = await server.Client.DeleteAsync("/api/v1/workflows/greet"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var saved = await server.CreateWorkflowAsync(TestWorkflows.Greet(greeting: "goodbye"));
        var after = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(after);

        Assert.Equal(2, saved["version"]!.GetValue<int>());
        Assert.Equal("hello Ada", (await server.GetJsonAsync($"/api/v1/executions/{before}/report"))["outputs"]!["greeting"]!.GetValue<string>());
        Assert.Equal("goodbye Ada", (await server.GetJsonAsync($"/api/v1/executions/{after}/report"))["outputs"]!["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task History_After_ReturnsOnlyLaterEvents()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);

        var all = (await server.GetJsonAsync($"/api/v1/executions/{id}/history"))["events"]!.AsArray();
        var later = (await server.GetJsonAsync($"/api/v1/executions/{id}/history?after=2"))["events"]!.AsArray();

        Assert.Equal(all.Count - 2, later.Count);
        Assert.Equal(3, later[0]!["sequence"]!.GetValue<int>());
    }

    [Fact]
    public async Task Start_SameIdempotencyKey_Returns201ThenSameExecutionWith200()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var body = new JsonObject { ["workflowId"] = "greet", ["inputs"] = new JsonObject { ["name"] = "Ada" } };

        using var first = await PostWithKeyAsync(server, body, "order-42");
        using var second = await PostWithKeyAsync(server, body, "order-42");
        using var bodyKey = await server.Client.PostAsync("/api/v1/executions", ServerHarness.Json(new JsonObject { ["workflowId"] = "greet", ["inputs"] = new JsonObject { ["name"] = "Ada" }, ["idempotencyKey"] = "order-42" }));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bodyKey.StatusCode);
        var id = (await ServerHarness.ReadAsync(first))["id"]!.GetValue<string>();
        Assert.Equal(id, (await ServerHarness.ReadAsync(second))["id"]!.GetValue<string>());
        Assert.Equal(id, (await ServerHarness.ReadAsync(bodyKey))["id"]!.GetValue<string>());
        Assert.Single((await server.GetJsonAsync("/api/v1/executions"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Start_ConcurrentSameIdempotencyKey_OneCreatedAllSameExecution()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var body = new JsonObject { ["workflowId"] = "approval" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostWithKeyAsync(server, body, "same")));

        try
        {
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            var ids = await Task.WhenAll(responses.Select(async r => (await ServerHarness.ReadAsync(r))["id"]!.GetValue<string>()));
            Assert.Single(ids.Distinct());
            Assert.Single((await server.GetJsonAsync("/api/v1/executions"))["items"]!.AsArray());
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Start_InvalidInputs_Returns422AndStartsNothing()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());

        using var response = await server.Client.PostAsync("/api/v1/executions", ServerHarness.Json(new JsonObject { ["workflowId"] = "greet", ["inputs"] = new JsonObject() }));

        var problem = await ServerHarness.AssertProblemAsync(response, 422, "validation");
        Assert.NotEmpty(problem["errors"]!.AsArray());
        Assert.Empty((await server.GetJsonAsync("/api/v1/executions"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"workflowId\": ", 400, "bad-request")]
    [InlineData("{\"workflowId\": \"nope\"}", 404, "not-found")]
    [InlineData("{\"inputs\": {}}", 400, "missing-workflow-id")]
    [InlineData("{\"workflowId\": \"greet\", \"inputs\": [1]}", 400, "invalid-inputs")]
    [InlineData("{\"workflowId\": \"greet\", \"version\": \"one\"}", 400, "bad-request")]
    public async Task Start_BadBody_ReturnsProblemAndStartsNothing(string body, int status, string code)
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());

        using var response = await server.Client.PostAsync("/api/v1/executions", ServerHarness.Json(body));

        await ServerHarness.AssertProblemAsync(response, status, code);
        Assert.Empty((await server.GetJsonAsync("/api/v1/executions"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Start_WrongContentType_Returns415()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.PostAsync("/api/v1/executions", ServerHarness.Yaml("workflowId: greet"));

        await ServerHarness.AssertProblemAsync(response, 415, "unsupported-media-type");
    }

    [Fact]
    public async Task Put_RunningExecutionKeepsItsVersion()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var id = (await server.StartAsync("approval"))["id"]!.GetValue<string>();

        using var put = await server.Client.PutAsync("/api/v1/workflows/approval", ServerHarness.Yaml(TestWorkflows.Approval + "# v2\n"));
        using var signal = await server.Client.PostAsync($"/api/v1/executions/{id}/signal", ServerHarness.Json("""{"name":"approval","payload":{"ok":true}}"""));
        var done = await server.WaitForEndAsync(id);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, signal.StatusCode);
        Assert.Equal(1, done["workflowVersion"]!.GetValue<int>());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        var report = await server.GetJsonAsync($"/api/v1/executions/{id}/report");
        Assert.True(report["outputs"]!["answer"]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Signal_WithoutName_Returns400AndTerminal_Returns409()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);

        using var noName = await server.Client.PostAsync($"/api/v1/executions/{id}/signal", ServerHarness.Json("{}"));
        using var ended = await server.Client.PostAsync($"/api/v1/executions/{id}/signal", ServerHarness.Json("""{"name":"x"}"""));

        await ServerHarness.AssertProblemAsync(noName, 400, "missing-signal-name");
        await ServerHarness.AssertProblemAsync(ended, 409, "already-finished");
    }

    [Fact]
    public async Task Cancel_WaitingExecution_EndsCancelled()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var id = (await server.StartAsync("approval"))["id"]!.GetValue<string>();

        using var cancel = await server.Client.PostAsync($"/api/v1/executions/{id}/cancel", null);
        var done = await server.WaitForEndAsync(id);
        using var again = await server.Client.PostAsync($"/api/v1/executions/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("cancelled", done["status"]!.GetValue<string>());
        await ServerHarness.AssertProblemAsync(again, 409, "already-finished");
    }

    [Fact]
    public async Task PauseThenResume_WaitingExecution_PausedUntilResumedThenCompletesOnSignal()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var id = (await server.StartAsync("approval"))["id"]!.GetValue<string>();

        using var paused = await server.Client.PostAsync($"/api/v1/executions/{id}/pause?reason=audit", null);
        Assert.Equal(HttpStatusCode.Accepted, paused.StatusCode);
        Assert.Equal("paused", await WaitForStatusAsync(server, id, "paused"));
        using var pausedAgain = await server.Client.PostAsync($"/api/v1/executions/{id}/pause", null);
        Assert.Equal("unchanged", (await ServerHarness.ReadAsync(pausedAgain))["outcome"]!.GetValue<string>());

        using var resumed = await server.Client.PostAsync($"/api/v1/executions/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        Assert.Equal("running", await WaitForStatusAsync(server, id, "running"));
        using var signal = await server.Client.PostAsync($"/api/v1/executions/{id}/signal", ServerHarness.Json("""{"name":"approval","payload":{"ok":true}}"""));
        Assert.Equal(HttpStatusCode.Accepted, signal.StatusCode);
        Assert.Equal("succeeded", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());
        var history = await server.GetJsonAsync($"/api/v1/executions/{id}/history");
        var types = history["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("executionPaused", types);
        Assert.Contains("executionResumed", types);
    }

    [Fact]
    public async Task Retry_FailedExecution_RerunsOnlyTheFailedNodeAndCompletes()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.FailsOnce);
        var id = (await server.StartAsync("fails-once"))["id"]!.GetValue<string>();
        Assert.Equal("failed", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());

        using var retried = await server.Client.PostAsync($"/api/v1/executions/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal("succeeded", await WaitForStatusAsync(server, id, "succeeded"));

        var report = await server.GetJsonAsync($"/api/v1/executions/{id}/report");
        var attempts = report["nodes"]!.AsArray().ToDictionary(n => n!["nodeId"]!.GetValue<string>(), n => n!["attempts"]!.GetValue<int>());
        Assert.Equal(1, attempts["first"]);
        Assert.Equal(2, attempts["flaky"]);
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("retry")]
    public async Task Control_CompletedExecution_Returns409AndChangesNothing(string action)
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "x" }))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        var before = (await server.GetJsonAsync($"/api/v1/executions/{id}"))["lastSequence"]!.GetValue<long>();

        using var response = await server.Client.PostAsync($"/api/v1/executions/{id}/{action}", null);

        await ServerHarness.AssertProblemAsync(response, 409);
        Assert.Equal(before, (await server.GetJsonAsync($"/api/v1/executions/{id}"))["lastSequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Control_UnknownExecution_Returns404()
    {
        await using var server = await ServerHarness.StartAsync();
        using var response = await server.Client.PostAsync("/api/v1/executions/nope/pause", null);
        await ServerHarness.AssertProblemAsync(response, 404);
    }

    private static async Task<string?> WaitForStatusAsync(ServerHarness server, string id, string status)
    {
        string? current = null;
        for (var i = 0; i < 200 && current != status; i++)
        {
            current = (await server.GetJsonAsync($"/api/v1/executions/{id}"))["status"]!.GetValue<string>();
            if (current != status)
            {
                await Task.Delay(50);
            }
        }

        return current;
    }

    [Fact]
    public async Task List_FiltersByStatusWorkflowLabelAndTime_AndPages()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await server.StartAsync("greet", new JsonObject { ["name"] = "n" + i }))["id"]!.GetValue<string>();
            await server.WaitForEndAsync(id);
            ids.Add(id);
        }

        using var labelled = await server.Client.PostAsync("/api/v1/executions", ServerHarness.Json("""{"workflowId":"approval","labels":{"team":"payments"}}"""));
        var waiting = (await ServerHarness.ReadAsync(labelled))["id"]!.GetValue<string>();

        var running = await server.GetJsonAsync("/api/v1/executions?status=running");
        var greet = await server.GetJsonAsync("/api/v1/executions?workflowId=greet&pageSize=2");
        var rest = await server.GetJsonAsync($"/api/v1/executions?workflowId=greet&pageSize=2&pageToken={Uri.EscapeDataString(greet["nextPageToken"]!.GetValue<string>())}");
        var team = await server.GetJsonAsync("/api/v1/executions?label=team=payments");
        var future = await server.GetJsonAsync($"/api/v1/executions?createdFrom={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");

        Assert.Equal([waiting], running["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(ids.AsEnumerable().Reverse(), greet["items"]!.AsArray().Concat(rest["items"]!.AsArray()).Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal("payments", team["items"]![0]!["labels"]!["team"]!.GetValue<string>());
        Assert.Single(team["items"]!.AsArray());
        Assert.Empty(future["items"]!.AsArray());
    }

    [Theory]
    [InlineData("status=sleeping", "invalid-status")]
    [InlineData("label=nokey", "invalid-label")]
    [InlineData("pageSize=0", "invalid-page-size")]
    [InlineData("pageToken=garbage", "invalid-page-token")]
    [InlineData("createdFrom=yesterday", "bad-request")]
    public async Task List_BadFilter_Returns400(string query, string code)
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.GetAsync("/api/v1/executions?" + query);

        await ServerHarness.AssertProblemAsync(response, 400, code);
    }

    [Fact]
    public async Task OtherTenant_SeesNothing_AndGets404Everywhere()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var id = (await server.StartAsync("approval"))["id"]!.GetValue<string>();
        using var other = server.ClientForTenant("acme");

        foreach (var path in new[] { $"/api/v1/executions/{id}", $"/api/v1/executions/{id}/history", $"/api/v1/executions/{id}/report", "/api/v1/workflows/approval", $"/api/v1/executions/{id}/events", "/api/v1/workflows/approval/events" })
        {
            using var response = await other.GetAsync(path);
            await ServerHarness.AssertProblemAsync(response, 404, "not-found");
        }

        using var cancel = await other.PostAsync($"/api/v1/executions/{id}/cancel", null);
        await ServerHarness.AssertProblemAsync(cancel, 404, "not-found");
        using var signal = await other.PostAsync($"/api/v1/executions/{id}/signal", ServerHarness.Json("""{"name":"approval"}"""));
        await ServerHarness.AssertProblemAsync(signal, 404, "not-found");
        using var start = await other.PostAsync("/api/v1/executions", ServerHarness.Json("""{"workflowId":"approval"}"""));
        await ServerHarness.AssertProblemAsync(start, 404, "not-found");
        using var list = await other.GetAsync("/api/v1/executions");
        Assert.Empty((await ServerHarness.ReadAsync(list))["items"]!.AsArray());
        using var workflows = await other.GetAsync("/api/v1/workflows");
        Assert.Empty((await ServerHarness.ReadAsync(workflows))["items"]!.AsArray());
        Assert.Equal("running", (await server.GetJsonAsync($"/api/v1/executions/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task OtherTenant_SameWorkflowIdAndIdempotencyKey_AreSeparate()
    {
        await using var server = await ServerHarness.StartAsync();
        using var acme = server.ClientForTenant("acme");
        await server.CreateWorkflowAsync(TestWorkflows.Greet());
        using var created = await acme.PostAsync("/api/v1/workflows", ServerHarness.Yaml(TestWorkflows.Greet(greeting: "howdy")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var mine = await server.StartAsync("greet", new JsonObject { ["name"] = "Ada" }, idempotencyKey: "k1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/executions") { Content = ServerHarness.Json("""{"workflowId":"greet","inputs":{"name":"Ada"}}""") };
        request.Headers.Add("Idempotency-Key", "k1");
        using var theirs = await acme.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        var theirId = (await ServerHarness.ReadAsync(theirs))["id"]!.GetValue<string>();
        Assert.NotEqual(mine["id"]!.GetValue<string>(), theirId);
        await server.WaitForEndAsync(theirId, acme);
        var body = await server.GetJsonAsync($"/api/v1/executions/{theirId}/report", acme);

        Assert.Equal("howdy Ada", body["outputs"]!["greeting"]!.GetValue<string>());
    }

    private static async Task<HttpResponseMessage> PostWithKeyAsync(ServerHarness server, JsonObject body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/executions") { Content = ServerHarness.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await server.Client.SendAsync(request);
    }
}
