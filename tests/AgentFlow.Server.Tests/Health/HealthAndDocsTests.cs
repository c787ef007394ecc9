using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Health;

public sealed class HealthAndDocsTests
{
    [Fact]
    public async Task Live_And_Ready_Return200()
    {
        await using var server = await ServerHarness.StartAsync();

        Assert.Equal("live", (await server.GetJsonAsync("/health/live"))["status"]!.GetValue<string>());
        Assert.Equal("ready", (await server.GetJsonAsync("/health/ready"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ready_StoreClosed_Returns503Problem()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.Services.GetRequiredService<RuntimeService>().Store.DisposeAsync();

        using var response = await server.Client.GetAsync("/health/ready");

        await ServerHarness.AssertProblemAsync(response, 503, "unavailable");
    }

    [Fact]
    public async Task OpenApi_DescribesEveryApiRoute()
    {
        await using var server = await ServerHarness.StartAsync();

        var document = await server.GetJsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject();
        foreach (var (path, method) in new[]
        {
            ("/api/v1/workflows", "post"), ("/api/v1/workflows", "get"), ("/api/v1/workflows/{id}", "get"), ("/api/v1/workflows/{id}", "put"),
            ("/api/v1/workflows/{id}", "delete"), ("/api/v1/workflows/validate", "post"), ("/api/v1/executions", "post"), ("/api/v1/executions", "get"),
            ("/api/v1/executions/{id}", "get"), ("/api/v1/executions/{id}/cancel", "post"), ("/api/v1/executions/{id}/signal", "post"),
            ("/api/v1/executions/{id}/pause", "post"), ("/api/v1/executions/{id}/resume", "post"), ("/api/v1/executions/{id}/retry", "post"),
            ("/api/v1/executions/{id}/history", "get"), ("/api/v1/executions/{id}/report", "get"), ("/api/v1/executions/{id}/events", "get"),
            ("/api/v1/executions/{id}/ws", "get"), ("/api/v1/workflows/{id}/events", "get"), ("/api/task/run", "post"), ("/api/task/report", "get"),
            ("/api/task/result", "get"), ("/api/task/cancel", "put"), ("/api/task/validate", "post"), ("/info", "get"), ("/health/live", "get"), ("/health/ready", "get"),
        })
        {
            Assert.True(paths[path]?[method] is JsonObject, $"{method} {path} is missing from the OpenAPI document");
        }

        Assert.NotNull(paths["/api/v1/workflows"]!["post"]!["requestBody"]!["content"]!["application/yaml"]);
    }

    [Fact]
    public async Task ApiPage_IsServedWithoutExternalResources()
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Client.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/openapi/v1.json", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
    }
}
