using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Server.Tests.Workflows;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>The FlowGram task routes against FLOWGRAM.md §4.3 and the differential harness's expected outputs.</summary>
public sealed class FlowGramRouteTests
{
    /// <summary>
    /// Every "run" case of the differential harness that needs no mock server, is not a documented deviation and is not
    /// a known failure: over HTTP they must equal the reference's recorded output.
    /// </summary>
    public static TheoryData<string> SelfContainedRunCases()
    {
        var root = WorkflowApiTests.RepositoryRoot();
        var excluded = new HashSet<string>(
            Directory.GetFiles(Path.Combine(root, "tests/flowgram/deviations"), "*.json").Select(Path.GetFileNameWithoutExtension)!,
            StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(root, "tests/flowgram/known-failures.txt")))
        {
            if (line.Length > 0 && line[0] != '#')
            {
                excluded.Add(line.Split(' ', 2)[0]);
            }
        }

        var cases = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "tests/flowgram/cases"), "*.json").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var name = Path.GetFileNameWithoutExtension(file);
            var kind = JsonNode.Parse(text)!["kind"]?.GetValue<string>() ?? "run";
            // Mock servers and closed ports are placeholders the harness fills in; these cases need it.
            if (kind == "run" && !text.Contains("MOCK_", StringComparison.Ordinal) && !text.Contains("{{CLOSED_PORT}}", StringComparison.Ordinal) && !excluded.Contains(name))
            {
                cases.Add(name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(SelfContainedRunCases))]
    public async Task RunCase_OverHttp_MatchesReferenceExpected(string name)
    {
        await using var server = await ServerHarness.StartAsync();
        var testCase = Case(name);

        var actual = await RunAsync(server.Client, testCase);

        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowApiTests.RepositoryRoot(), "tests/flowgram/expected", name + ".json")))!;

        // The expected outputs come from the reference runtime in-process; its server strips snapshot errors (§4.3).
        foreach (var (_, node) in expected["nodes"]?.AsObject() ?? [])
        {
            foreach (var snapshot in node?["snapshots"]?.AsArray() ?? [])
            {
                snapshot?.AsObject().Remove("error");
            }
        }

        Assert.Equal(Canonical(expected), Canonical(actual));
    }

    [Fact]
    public async Task ValidateAndRun_DanglingEdge_ValidateMatchesAndRunAnswersEmptyBody()
    {
        await using var server = await ServerHarness.StartAsync();
        var testCase = Case("schema-dangling-edge-source");
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowApiTests.RepositoryRoot(), "tests/flowgram/expected/schema-dangling-edge-source.json")))!;

        using var validate = await server.Client.PostAsync("/api/task/validate", ServerHarness.Json(TaskBody(testCase)));
        using var run = await server.Client.PostAsync("/api/task/run", ServerHarness.Json(TaskBody(testCase)));

        Assert.Equal(Canonical(expected["validate"]!), Canonical(await ServerHarness.ReadAsync(validate)));
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

    /// <summary>Runs a case through the HTTP routes like FlowGram's client, normalised like the harness's run-case.mjs.</summary>
    private static async Task<JsonObject> RunAsync(HttpClient client, JsonObject testCase)
    {
        using var run = await client.PostAsync("/api/task/run", ServerHarness.Json(TaskBody(testCase)));
        var taskId = (await ServerHarness.ReadAsync(run))["taskID"]!.GetValue<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JsonObject report;
        while (true)
        {
            using var response = await client.GetAsync($"/api/task/report?taskID={taskId}", limit.Token);
            report = await ServerHarness.ReadAsync(response);
            if (report["workflowStatus"]!["terminated"]!.GetValue<bool>())
            {
                break;
            }

            await Task.Delay(10, limit.Token);
        }

        using var resultResponse = await client.GetAsync($"/api/task/result?taskID={taskId}");
        var nodes = new JsonObject();
        foreach (var (id, node) in report["reports"]!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            nodes[id] = new JsonObject
            {
                ["status"] = node!["status"]!.DeepClone(),
                ["snapshots"] = new JsonArray([.. node["snapshots"]!.AsArray().Select(s => (JsonNode)new JsonObject(s!.AsObject().Where(p => p.Key is "inputs" or "outputs" or "data" or "branch").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))))]),
            };
        }

        return new JsonObject
        {
            ["case"] = testCase["name"]!.GetValue<string>(),
            ["status"] = report["workflowStatus"]!["status"]!.DeepClone(),
            ["result"] = JsonNode.Parse(await resultResponse.Content.ReadAsStringAsync()),
            ["messages"] = new JsonObject { ["error"] = new JsonArray([.. report["messages"]!["error"]!.AsArray().Select(m => (JsonNode)new JsonObject(m!.AsObject().Where(p => p.Key is "nodeID" or "message").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))))]) },
            ["nodes"] = nodes,
        };
    }

    /// <summary>JSON text with object keys sorted at every level, so key order does not matter.</summary>
    private static string Canonical(JsonNode node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonValue.Create(p.Key).ToJsonString() + ":" + (p.Value is null ? "null" : Canonical(p.Value)))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(i => i is null ? "null" : Canonical(i))) + "]",

        // 1e+21 and 1E+21 are the same JSON number (Node and System.Text.Json spell large numbers differently).
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.GetValue<double>().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
