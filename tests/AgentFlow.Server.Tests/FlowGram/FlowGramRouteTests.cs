using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Server.Tests.Workflows;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>The FlowGram task routes against FLOWGRAM.md §4.3 beyond the harness's cases (<see cref="FlowGramDifferentialHttpTests"/>).</summary>
public sealed class FlowGramRouteTests
{
    [Fact]
    public async Task ValidateAndRun_DanglingEdge_ValidateMatchesAndRunAnswersEmptyBody()
    {
        await using var server = await ServerHarness.StartAsync();
        var testCase = Case("schema-dangling-edge-source");
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowApiTests.RepositoryRoot(), "tests/flowgram/expected/schema-dangling-edge-source.json")))!;

        using var validate = await server.Client.PostAsync("/api/task/validate", ServerHarness.Json(TaskBody(testCase)));
        using var run = await server.Client.PostAsync("/api/task/run", ServerHarness.Json(TaskBody(testCase)));

        Assert.Empty(JsonDiff.Compare(expected["validate"], await ServerHarness.ReadAsync(validate)));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal("application/json", run.Content.Headers.ContentType?.MediaType);
        Assert.Equal(string.Empty, await run.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Report_TaskThatFailedValidation_Returns500OutputValidationFailed()
    {
        await using var server = await ServerHarness.StartAsync();
        using var run = await server.Client.PostAsync("/api/task/run", ServerHarness.Json(TaskBody(Case("schema-cycle"))));
        var taskId = (await ServerHarness.ReadAsync(run))["taskID"]!.GetValue<string>();

        using var report = await server.Client.GetAsync($"/api/task/report?taskID={taskId}");

        var problem = await ServerHarness.AssertProblemAsync(report, 500, "INTERNAL_SERVER_ERROR");
        Assert.Equal("Output validation failed", problem["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_NodeFailedResolvingInputs_Returns500WhileResultAnswers()
    {
        await using var server = await ServerHarness.StartAsync();
        using var run = await server.Client.PostAsync("/api/task/run", ServerHarness.Json(TaskBody(Case("value-expression-unsupported"))));
        var taskId = (await ServerHarness.ReadAsync(run))["taskID"]!.GetValue<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string result;
        do
        {
            await Task.Delay(10, limit.Token);
            using var response = await server.Client.GetAsync($"/api/task/result?taskID={taskId}", limit.Token);
            result = await response.Content.ReadAsStringAsync(limit.Token);
        }
        while (result.Length == 0);

        using var report = await server.Client.GetAsync($"/api/task/report?taskID={taskId}");

        // end_0's snapshot has no inputs (its expression value threw), which the reference's zod snapshot schema requires.
        var problem = await ServerHarness.AssertProblemAsync(report, 500, "INTERNAL_SERVER_ERROR");
        Assert.Equal("Output validation failed", problem["message"]!.GetValue<string>());
        Assert.Equal("{}", result);
    }

    [Fact]
    public async Task UnknownTask_ReportAndResultAreEmpty_CancelIsFalse()
    {
        await using var server = await ServerHarness.StartAsync();

        using var report = await server.Client.GetAsync("/api/task/report?taskID=nope");
        using var result = await server.Client.GetAsync("/api/task/result?taskID=nope");
        using var cancel = await server.Client.PutAsync("/api/task/cancel", ServerHarness.Json("""{"taskID":"nope"}"""));

        Assert.Equal(string.Empty, await report.Content.ReadAsStringAsync());
        Assert.Equal(string.Empty, await result.Content.ReadAsStringAsync());
        Assert.False((await ServerHarness.ReadAsync(cancel))["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task MissingInputs_Returns400InputValidationFailedWithIssues()
    {
        await using var server = await ServerHarness.StartAsync();

        using var run = await server.Client.PostAsync("/api/task/run", ServerHarness.Json("""{"schema": 5}"""));
        using var report = await server.Client.GetAsync("/api/task/report");

        var problem = await ServerHarness.AssertProblemAsync(run, 400, "BAD_REQUEST");
        Assert.Equal("Input validation failed", problem["message"]!.GetValue<string>());
        Assert.Equal(["schema", "inputs"], problem["issues"]!.AsArray().Select(i => i!["path"]![0]!.GetValue<string>()));
        await ServerHarness.AssertProblemAsync(report, 400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Info_HasReferenceShape_AndApiInfoIsEmpty()
    {
        await using var server = await ServerHarness.StartAsync();

        var info = await server.GetJsonAsync("/info");
        using var apiInfo = await server.Client.GetAsync("/api/info");

        Assert.Equal(["name", "title", "description", "runtime", "version", "time"], info.Select(p => p.Key));
        Assert.Equal("flowgram-runtime", info["name"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(info["time"]!.GetValue<string>(), out _));
        Assert.Equal(HttpStatusCode.OK, apiInfo.StatusCode);
        Assert.Equal(string.Empty, await apiInfo.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cors_IsOpenOnTaskRoutes()
    {
        await using var server = await ServerHarness.StartAsync();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/task/run");
        preflight.Headers.Add("Origin", "http://localhost:3000");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await server.Client.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static JsonObject Case(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowApiTests.RepositoryRoot(), "tests/flowgram/cases", name + ".json")))!.AsObject();

    private static JsonObject TaskBody(JsonObject testCase) =>
        new() { ["schema"] = testCase["schema"]!.ToJsonString(), ["inputs"] = testCase["inputs"]?.DeepClone() ?? new JsonObject() };
}
