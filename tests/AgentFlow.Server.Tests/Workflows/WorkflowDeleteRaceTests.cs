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
        for (var round = 0; round < 28; round++)
        {
            var id = $"approval-{round}";
            await server.CreateWorkflowAsync($"id: {id}\nnodes:\n  - id: ask\n    kind: wait\n    with: {{ signal: approval }}\n");

            // Some starts finish before the delete goes out (none in every fourth round); the rest race it.
            // Which side wins the race depends on the machine, so only the invariant is asserted for those.
            var settledBefore = round % 4;
            var settledStatuses = new List<HttpStatusCode>();
            for (var i = 0; i < settledBefore; i++)
            {
                settledStatuses.Add(await PostAsync(server.Client, "/api/v1/executions", new JsonObject { ["workflowId"] = id }));
            }

            var racing = new List<Task<HttpStatusCode>>();
            var racingBefore = round % 7 % 4;
            for (var i = 0; i < racingBefore; i++)
            {
                racing.Add(PostAsync(server.Client, "/api/v1/executions", new JsonObject { ["workflowId"] = id }));
            }

            var delete = SendAsync(server.Client, HttpMethod.Delete, $"/api/v1/workflows/{id}");
            for (var i = racingBefore; i < 4; i++)
            {
                racing.Add(PostAsync(server.Client, "/api/v1/executions", new JsonObject { ["workflowId"] = id }));
            }

            var racingStatuses = await Task.WhenAll(racing);
            var deleteStatus = await delete;

            Assert.All(settledStatuses, s => Assert.Equal(HttpStatusCode.Created, s));
            Assert.All(racingStatuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.NotFound }));

            // Every started execution waits for a signal, so it is unfinished and still needs its definition.
            var started = settledStatuses.Count + racingStatuses.Count(s => s == HttpStatusCode.Created);
            Assert.Equal(started > 0 ? HttpStatusCode.Conflict : HttpStatusCode.NoContent, deleteStatus);
            using var get = await server.Client.GetAsync($"/api/v1/workflows/{id}");
            Assert.Equal(started > 0 ? HttpStatusCode.OK : HttpStatusCode.NotFound, get.StatusCode);
        }
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
