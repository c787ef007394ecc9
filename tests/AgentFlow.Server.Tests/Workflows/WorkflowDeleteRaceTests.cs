using System.Net;
using System.Text.Json.Nodes;

namespace AgentFlow.Server.Tests.Workflows;

/// <summary>A delete racing starts of the same workflow never removes a definition an unfinished execution needs.</summary>
public sealed class WorkflowDeleteRaceTests
{
    [Fact]
    public async Task Delete_RacingStarts_NeverSucceedsWhileAStartedExecutionNeedsTheDefinition()
    {
        await using var server = await ServerHarness.StartAsync();
        var deleted = 0;
        var refused = 0;
        for (var round = 0; round < 25; round++)
        {
            var id = $"approval-{round}";
            await server.CreateWorkflowAsync($"id: {id}\nnodes:\n  - id: ask\n    kind: wait\n    with: {{ signal: approval }}\n");
            // The delete goes out among the starts at a different place each round.
            var starts = new List<Task<HttpStatusCode>>();
            Task<HttpStatusCode>? delete = null;
            for (var i = 0; i <= 6; i++)
            {
                if (i == round % 7)
                {
                    delete = SendAsync(server.Client, HttpMethod.Delete, $"/api/v1/workflows/{id}");
                }
                else
                {
                    starts.Add(PostAsync(server.Client, "/api/v1/executions", new JsonObject { ["workflowId"] = id }));
                }
            }

            var startStatuses = await Task.WhenAll(starts);
            var deleteStatus = await delete!;

            // Every started execution waits for a signal, so it is unfinished and still needs its definition.
            var started = startStatuses.Count(s => s == HttpStatusCode.Created);
            Assert.All(startStatuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.NotFound }));
            Assert.Contains(deleteStatus, new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict });
            if (deleteStatus == HttpStatusCode.NoContent)
            {
                Assert.Equal(0, started);
                deleted++;
            }
            else
            {
                refused++;
            }

            using var get = await server.Client.GetAsync($"/api/v1/workflows/{id}");
            Assert.Equal(started > 0 ? HttpStatusCode.OK : get.StatusCode, get.StatusCode);
        }

        // Both outcomes occurred, so the race was exercised from both sides.
        Assert.True(deleted > 0 && refused > 0, $"deleted {deleted}, refused {refused}");
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string path, JsonObject body)
    {
        using var response = await client.PostAsync(path, ServerHarness.Json(body));
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
