using AgentFlow.Server.Security;

namespace AgentFlow.Server.Tests.Security;

/// <summary>The FlowGram task routes answer any origin; <c>/api/v1</c> only the configured ones.</summary>
public sealed class CorsTests
{
    [Fact]
    public async Task Preflight_ApiV1WithoutConfiguredOrigins_AllowsNoOrigin()
    {
        await using var server = await SecuredServer.StartAsync();

        using var response = await PreflightAsync(server, "/api/v1/executions", "https://evil.example");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_ApiV1WithConfiguredOrigin_AllowsOnlyThatOrigin()
    {
        await using var server = await SecuredServer.StartAsync(new SecurityOptions { CorsOrigins = ["https://console.example"] });

        using var allowed = await PreflightAsync(server, "/api/v1/executions", "https://console.example");
        using var other = await PreflightAsync(server, "/api/v1/executions", "https://evil.example");

        Assert.Equal("https://console.example", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("authorization", string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_FlowGramTaskRoute_OpenToAnyOrigin()
    {
        await using var server = await SecuredServer.StartAsync();

        using var response = await PreflightAsync(server, "/api/task/run", "https://flowgram.example");

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    private static async Task<HttpResponseMessage> PreflightAsync(SecuredServer server, string path, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await server.Client(null).SendAsync(request);
    }
}
