using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Security;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Security;

/// <summary>A real server with API keys required, over a temporary SQLite file, and clients that present keys.</summary>
internal sealed class SecuredServer : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private SecuredServer(ServerHarness harness) => Harness = harness;

    /// <summary>A workflow that waits for an <c>approval</c> signal, so its execution stays running.</summary>
    public const string Waiting = """
        id: approval
        nodes:
          - id: ask
            kind: wait
            with: { signal: approval }
        """;

    public ServerHarness Harness { get; }

    public IApiKeyStore Keys => (IApiKeyStore)Harness.Services.GetRequiredService<RuntimeService>().Store;

    public static async Task<SecuredServer> StartAsync(SecurityOptions? security = null, Func<ServerOptions, ServerOptions>? configure = null) =>
        new(await ServerHarness.StartAsync(o => (configure?.Invoke(o) ?? o) with { Security = security ?? new SecurityOptions() }));

    /// <summary>Creates a key and returns its text.</summary>
    public async Task<string> KeyAsync(string tenant, params string[] scopes) =>
        (await Keys.CreateApiKeyAsync(new ApiKeyRequest(tenant, scopes), CancellationToken.None)).Secret;

    /// <summary>A client sending <paramref name="key"/> as a bearer token (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Harness.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>Stores a workflow for the key's tenant.</summary>
    public static async Task CreateWorkflowAsync(HttpClient client, string yaml)
    {
        using var response = await client.PostAsync("/api/v1/workflows", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Starts an execution for the key's tenant and returns its id.</summary>
    public static async Task<string> StartAsync(HttpClient client, string workflowId, JsonObject? inputs = null)
    {
        using var response = await client.PostAsync("/api/v1/executions", ServerHarness.Json(new JsonObject { ["workflowId"] = workflowId, ["inputs"] = inputs ?? [] }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Harness.DisposeAsync();
    }
}
