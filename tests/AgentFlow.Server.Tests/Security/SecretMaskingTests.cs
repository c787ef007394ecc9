using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Security;

/// <summary>Inputs declared secret never leave the server: not in history, reports or live streams.</summary>
public sealed class SecretMaskingTests
{
    private const string Secret = "sk-live-7f3a9c2e1b";

    private const string Workflow = """
        id: secretive
        inputs:
          token: { type: string, secret: true }
          name: { type: string }
        nodes:
          - id: ask
            kind: wait
            with: { signal: go }
        """;

    [Fact]
    public async Task HistoryReportAndStream_SecretInput_MaskedWhileOtherInputsShow()
    {
        await using var server = await SecuredServer.StartAsync();
        var client = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Admin));
        await SecuredServer.CreateWorkflowAsync(client, Workflow);
        var id = await SecuredServer.StartAsync(client, "secretive", new JsonObject { ["token"] = Secret, ["name"] = "ann" });

        var history = await client.GetStringAsync($"/api/v1/executions/{id}/history");
        var report = await client.GetStringAsync($"/api/v1/executions/{id}/report");
        var streamed = await FirstStreamedEventAsync(client, id);

        foreach (var text in new[] { history, report, streamed })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.Contains("\"ann\"", text, StringComparison.Ordinal);
            Assert.Contains("\"***\"", text, StringComparison.Ordinal);
        }

        // The log itself keeps the real value: the execution still needs it.
        var stored = await server.Harness.Services.GetRequiredService<Hosting.RuntimeService>().Store.ReadAsync(id, 1, CancellationToken.None);
        Assert.Contains(Secret, Core.Events.EventSerializer.Serialize(stored[0]), StringComparison.Ordinal);
    }

    private static async Task<string> FirstStreamedEventAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/executions/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(limit.Token));
        while (await reader.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains("inputs", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The stream ended before the execution's start event.");
    }
}
