using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentFlow.Server.Tests.Workflows;

public sealed class WorkflowApiTests
{
    [Fact]
    public async Task Create_Yaml_Returns201AndStoresVersion1()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Yaml(TestWorkflows.Greet()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/workflows/greet?version=1", response.Headers.Location?.OriginalString);
        var body = await ServerHarness.ReadAsync(response);
        Assert.Equal("greet", body["id"]!.GetValue<string>());
        Assert.Equal(1, body["version"]!.GetValue<int>());
        Assert.Equal("yaml", body["format"]!.GetValue<string>());
        Assert.Equal("Greeting flow", body["name"]!.GetValue<string>());
        var stored = await server.GetJsonAsync("/api/v1/workflows/greet");
        Assert.Equal(TestWorkflows.Greet(), stored["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_JsonDsl_DetectsJsonFormat()
    {
        await using var server = await ServerHarness.StartAsync();
        var json = """{"id":"j","nodes":[{"id":"a","kind":"transform","with":1}]}""";

        using var response = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Json(json));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("json", (await ServerHarness.ReadAsync(response))["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_MultipartFile_StoresTheFile()
    {
        await using var server = await ServerHarness.StartAsync();
        using var form = new MultipartFormDataContent();
        var file = new StringContent(TestWorkflows.Greet("uploaded"), Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "uploaded.yaml");

        using var response = await server.Client.PostAsync("/api/v1/workflows", form);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("uploaded", (await ServerHarness.ReadAsync(response))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_FlowGramSchema_IsDetectedAndNeedsAnId()
    {
        await using var server = await ServerHarness.StartAsync();
        var schema = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests/flowgram/cases/branch-1.json"));
        var flow = JsonNode.Parse(schema)!["schema"]!.ToJsonString();

        using var missing = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Json(flow));
        using var created = await server.Client.PostAsync("/api/v1/workflows?id=branchy", ServerHarness.Json(flow));

        var problem = await ServerHarness.AssertProblemAsync(missing, 422, "validation");
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == "missing-id");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("flowgram", (await ServerHarness.ReadAsync(created))["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Existing_Returns409AndKeepsVersion()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());

        using var again = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Yaml(TestWorkflows.Greet(greeting: "hi")));

        await ServerHarness.AssertProblemAsync(again, 409, "workflow-exists");
        Assert.Equal(1, (await server.GetJsonAsync("/api/v1/workflows/greet"))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_NewSource_CreatesVersion2AndKeepsVersion1()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());

        using var response = await server.Client.PutAsync("/api/v1/workflows/greet", ServerHarness.Yaml(TestWorkflows.Greet(greeting: "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await ServerHarness.ReadAsync(response))["version"]!.GetValue<int>());
        Assert.Contains("hello", (await server.GetJsonAsync("/api/v1/workflows/greet?version=1"))["source"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("hi", (await server.GetJsonAsync("/api/v1/workflows/greet"))["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_DocumentWithOtherId_Returns422AndChangesNothing()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());

        using var response = await server.Client.PutAsync("/api/v1/workflows/greet", ServerHarness.Yaml(TestWorkflows.Greet("other")));

        var problem = await ServerHarness.AssertProblemAsync(response, 422, "validation");
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == "id-mismatch");
        Assert.Equal(1, (await server.GetJsonAsync("/api/v1/workflows/greet"))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task List_PagesWithTokenAndSearches()
    {
        await using var server = await ServerHarness.StartAsync();
        foreach (var id in new[] { "alpha", "beta", "gamma" })
        {
            await server.CreateWorkflowAsync(TestWorkflows.Greet(id));
        }

        var first = await server.GetJsonAsync("/api/v1/workflows?pageSize=2");
        var token = first["nextPageToken"]!.GetValue<string>();
        var second = await server.GetJsonAsync($"/api/v1/workflows?pageSize=2&pageToken={Uri.EscapeDataString(token)}");
        var search = await server.GetJsonAsync("/api/v1/workflows?search=AMM");

        Assert.Equal(["alpha", "beta"], first["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(["gamma"], second["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Null(second["nextPageToken"]);
        Assert.Equal(["gamma"], search["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Validate_Valid_Returns200AndSavesNothing()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.PostAsync("/api/v1/workflows/validate", ServerHarness.Yaml(TestWorkflows.Greet()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await ServerHarness.ReadAsync(response))["valid"]!.GetValue<bool>());
        using var get = await server.Client.GetAsync("/api/v1/workflows/greet");
        await ServerHarness.AssertProblemAsync(get, 404, "not-found");
    }

    [Fact]
    public async Task Validate_UnknownKind_Returns422WithEveryErrorAndLocation()
    {
        await using var server = await ServerHarness.StartAsync();
        var yaml = "id: bad\nnodes:\n  - id: a\n    kind: nope\n  - id: b\n    kind: transform\n    needs: missing\n";

        using var response = await server.Client.PostAsync("/api/v1/workflows/validate", ServerHarness.Yaml(yaml));

        var problem = await ServerHarness.AssertProblemAsync(response, 422, "validation");
        var errors = problem["errors"]!.AsArray();
        Assert.True(errors.Count >= 2, problem.ToJsonString());
        var unknownKind = errors.First(e => e!["message"]!.GetValue<string>().Contains("nope", StringComparison.Ordinal))!;
        Assert.Equal(4, unknownKind["location"]!["line"]!.GetValue<int>());
        Assert.NotNull(unknownKind["code"]);
    }

    [Fact]
    public async Task Create_MalformedYaml_Returns400WithLineAndColumnAndSavesNothing()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Yaml("id: x\nnodes: [ { id: a\n"));

        var problem = await ServerHarness.AssertProblemAsync(response, 400, "malformed");
        var location = problem["errors"]![0]!["location"]!;
        Assert.True(location["line"]!.GetValue<int>() >= 2, problem.ToJsonString());
        Assert.NotNull(location["column"]);
        Assert.Empty((await server.GetJsonAsync("/api/v1/workflows"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400WithLocation()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Json("{\"id\": \"x\",\n \"nodes\": [}"));

        var problem = await ServerHarness.AssertProblemAsync(response, 400, "malformed");
        Assert.Equal(2, problem["errors"]![0]!["location"]!["line"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_WrongContentType_Returns415()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.PostAsync("/api/v1/workflows", new StringContent("id: x", Encoding.UTF8, "text/plain"));

        await ServerHarness.AssertProblemAsync(response, 415, "unsupported-media-type");
        Assert.Empty((await server.GetJsonAsync("/api/v1/workflows"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Create_BodyOverLimit_Returns413AndSavesNothing()
    {
        await using var server = await ServerHarness.StartAsync(o => o with { MaxRequestBodyBytes = 1024 });
        var big = TestWorkflows.Greet() + "\n# " + new string('x', 4096) + "\n";

        using var response = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Yaml(big));

        await ServerHarness.AssertProblemAsync(response, 413, "body-too-large");
        Assert.Empty((await server.GetJsonAsync("/api/v1/workflows"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Get_UnknownVersion_Returns404()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Greet());

        using var response = await server.Client.GetAsync("/api/v1/workflows/greet?version=7");

        await ServerHarness.AssertProblemAsync(response, 404, "not-found");
    }

    [Fact]
    public async Task Delete_WhileAnExecutionIsUnfinished_Returns409ThenDeletesOnceItEnded()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.Approval);
        var id = (await server.StartAsync("approval"))["id"]!.GetValue<string>();

        using var refused = await server.Client.DeleteAsync("/api/v1/workflows/approval");
        await ServerHarness.AssertProblemAsync(refused, 409, "workflow-in-use");
        Assert.Equal(1, (await server.GetJsonAsync("/api/v1/workflows/approval"))["version"]!.GetValue<int>());

        using var cancel = await server.Client.PostAsync($"/api/v1/executions/{id}/cancel", null);
        await server.WaitForEndAsync(id);
        using var deleted = await server.Client.DeleteAsync("/api/v1/workflows/approval");
        using var gone = await server.Client.GetAsync("/api/v1/workflows/approval");
        using var again = await server.Client.DeleteAsync("/api/v1/workflows/approval");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ServerHarness.AssertProblemAsync(gone, 404, "not-found");
        await ServerHarness.AssertProblemAsync(again, 404, "not-found");
        Assert.Equal("cancelled", (await server.GetJsonAsync($"/api/v1/executions/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retry_OfAFailedExecutionAfterItsWorkflowWasDeleted_Returns409AndItStaysFailed()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.CreateWorkflowAsync(TestWorkflows.FailsOnce);

        // A first retry makes this server keep the definition in its cache, so the second retry below does not need
        // the store's copy: the store refuses its re-opening append all the same.
        var warm = (await server.StartAsync("fails-once"))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(warm);
        using (var first = await server.Client.PostAsync($"/api/v1/executions/{warm}/retry", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        Assert.Equal("succeeded", (await server.WaitForEndAsync(warm))["status"]!.GetValue<string>());
        var id = (await server.StartAsync("fails-once"))["id"]!.GetValue<string>();
        Assert.Equal("failed", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());
        using var deleted = await server.Client.DeleteAsync("/api/v1/workflows/fails-once");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var retried = await server.Client.PostAsync($"/api/v1/executions/{id}/retry", null);

        await ServerHarness.AssertProblemAsync(retried, 409, "definition-unavailable");
        using var again = await server.Client.PostAsync($"/api/v1/executions/{id}/retry", null);
        await ServerHarness.AssertProblemAsync(again, 409, "definition-unavailable");
        var execution = await server.GetJsonAsync($"/api/v1/executions/{id}");
        Assert.Equal("failed", execution["status"]!.GetValue<string>());
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AgentFlow.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (AgentFlow.slnx).");
    }
}
