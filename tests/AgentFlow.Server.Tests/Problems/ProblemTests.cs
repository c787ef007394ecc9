using System.Net.Http.Headers;
using System.Text;

namespace AgentFlow.Server.Tests.Problems;

/// <summary>Errors that never reach a handler still answer problem+json.</summary>
public sealed class ProblemTests
{
    [Fact]
    public async Task UnknownRouteUnderApiV1_Returns404Problem()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.GetAsync("/api/v1/nothing-here");

        var problem = await ServerHarness.AssertProblemAsync(response, 404, "not-found");
        Assert.Equal("/api/v1/nothing-here", problem["instance"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownRouteUnderApi_Returns404ProblemWithFlowGramFields()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.GetAsync("/api/task/nothing");

        var problem = await ServerHarness.AssertProblemAsync(response, 404, "NOT_FOUND");
        Assert.Equal("Not found", problem["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongMethod_Returns405Problem()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.DeleteAsync("/api/v1/executions");

        await ServerHarness.AssertProblemAsync(response, 405, "method-not-allowed");
    }

    [Fact]
    public async Task MalformedJsonBody_Returns400WithJsonLocation()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.PostAsync("/api/v1/executions", new StringContent("{\"workflowId\": \"x\",\n  \"inputs\": {,}}", Encoding.UTF8, "application/json"));

        var problem = await ServerHarness.AssertProblemAsync(response, 400, "bad-request");
        var location = problem["errors"]![0]!["location"]!;
        Assert.Equal(2, location["line"]!.GetValue<int>());
        Assert.Equal("$.inputs", location["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task OversizedJsonBody_Returns413Problem()
    {
        await using var server = await ServerHarness.StartAsync(o => o with { MaxRequestBodyBytes = 512 });
        var body = "{\"workflowId\":\"x\",\"inputs\":{\"big\":\"" + new string('a', 2048) + "\"}}";

        using var response = await server.Client.PostAsync("/api/v1/executions", new StringContent(body, Encoding.UTF8, "application/json"));

        await ServerHarness.AssertProblemAsync(response, 413, "body-too-large");
    }

    [Fact]
    public async Task BadQueryBinding_Returns400ProblemNamingTheParameter()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.GetAsync("/api/v1/workflows/x?version=abc");

        var problem = await ServerHarness.AssertProblemAsync(response, 400, "bad-request");
        Assert.Contains("version", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedOversizedUpload_Returns413Problem()
    {
        await using var server = await ServerHarness.StartAsync(o => o with { MaxRequestBodyBytes = 512 });
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("id: x\n#" + new string('a', 4096))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/workflows") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request);

        await ServerHarness.AssertProblemAsync(response, 413, "body-too-large");
    }
}
