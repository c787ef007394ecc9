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
          - id: header
            kind: transform
            with: "Bearer ${{ inputs.token }}"
          - id: ask
            kind: wait
            needs: header
            with: { signal: go }
        """;

    [Fact]
    public async Task HistoryReportAndStream_SecretInputAndValuesBuiltFromIt_MaskedWhileOtherInputsShow()
    {
        await using var server = await SecuredServer.StartAsync();
        var client = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Admin));
        await SecuredServer.CreateWorkflowAsync(client, Workflow);
        var id = await SecuredServer.StartAsync(client, "secretive", new JsonObject { ["token"] = Secret, ["name"] = "ann" });

        var streamed = await StreamUntilHeaderDoneAsync(client, id);
        var history = await client.GetStringAsync($"/api/v1/executions/{id}/history");
        var report = await client.GetStringAsync($"/api/v1/executions/{id}/report");

        foreach (var text in new[] { history, report, streamed })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.Contains("\"ann\"", text, StringComparison.Ordinal);
            Assert.Contains("\"***\"", text, StringComparison.Ordinal);
            Assert.Contains("Bearer ***", text, StringComparison.Ordinal);
        }

        // The log itself keeps the real value: the execution still needs it.
        var stored = await server.Harness.Services.GetRequiredService<Hosting.RuntimeService>().Store.ReadAsync(id, 1, CancellationToken.None);
        Assert.Contains(Secret, Core.Events.EventSerializer.Serialize(stored[0]), StringComparison.Ordinal);
    }

    // Reads the live stream until the node that embeds the secret has finished: its parameters and output are in it.
    private static async Task<string> StreamUntilHeaderDoneAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/executions/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(limit.Token));
        var seen = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(limit.Token) is { } line)
        {
            seen.Append(line).Append('\n');
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains("\"output\"", StringComparison.Ordinal) && line.Contains("\"header\"", StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }

        throw new InvalidOperationException("The stream ended before node 'header' finished: " + seen);
    }
}
