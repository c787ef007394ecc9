using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests;

/// <summary>A real server on a free loopback port over a temporary SQLite file, and a client for it.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerHarness(WebApplication app, string directory, Uri baseAddress)
    {
        _app = app;
        Directory = directory;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public const string TenantHeader = "X-Test-Tenant";

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "agentflow.db");

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ServerHarness> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, string? directory = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "agentflow-server-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var options = new ServerOptions { Urls = "http://127.0.0.1:0", DatabasePath = Path.Combine(directory, "agentflow.db"), OwnerId = "test-" + Guid.NewGuid().ToString("N")[..8], Security = new() { RequireApiKeys = false } };
        var app = AgentFlowServer.Build(configure?.Invoke(options) ?? options);

        // Stands in for the authentication layer: a test names the caller's tenant in a header.
        app.Use((context, next) =>
        {
            if (context.Request.Headers[TenantHeader].ToString() is { Length: > 0 } tenant)
            {
                context.Items[AgentFlow.Server.Security.SecurityExtensions.TenantItemKey] = tenant;
            }

            return next(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServerHarness(app, directory, new Uri(address));
    }

    /// <summary>A client whose requests belong to <paramref name="tenant"/>.</summary>
    public HttpClient ClientForTenant(string tenant)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add(TenantHeader, tenant);
        return client;
    }

    public static StringContent Yaml(string yaml) => new(yaml, Encoding.UTF8, "application/yaml");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(JsonNode json) => Json(json.ToJsonString());

    public async Task<JsonObject> CreateWorkflowAsync(string yaml)
    {
        using var response = await Client.PostAsync("/api/v1/workflows", Yaml(yaml));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync(response);
    }

    public async Task<JsonObject> StartAsync(string workflowId, JsonObject? inputs = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/executions") { Content = Json(new JsonObject { ["workflowId"] = workflowId, ["inputs"] = inputs ?? [] }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await ReadAsync(response);
    }

    /// <summary>Polls the execution until it has ended (the test's own timeout bounds it).</summary>
    public async Task<JsonObject> WaitForEndAsync(string executionId, HttpClient? client = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var execution = await GetJsonAsync($"/api/v1/executions/{executionId}", client);
            if (execution["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled")
            {
                return execution;
            }

            await Task.Delay(20, limit.Token);
        }
    }

    public async Task<JsonObject> GetJsonAsync(string path, HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync(response);
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts a problem+json answer with the status and code, and returns it.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, int status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()), text);
        if (code is not null)
        {
            Assert.Equal(code, problem["code"]?.GetValue<string>());
        }

        return problem;
    }

    public static MediaTypeWithQualityHeaderValue EventStream { get; } = new("text/event-stream");

    /// <summary>Stops the server as SIGTERM would.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the temp folder is cleaned up by the OS eventually.
        }
    }
}
