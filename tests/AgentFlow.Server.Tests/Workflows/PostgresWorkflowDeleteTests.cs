using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Server.Tests.Streams;

namespace AgentFlow.Server.Tests.Workflows;

/// <summary>
/// Two servers on one PostgreSQL database: a delete on one racing starts on both never removes a definition that an
/// unfinished execution needs, and a start that loses to the delete is answered 404 with nothing started.
/// </summary>
public sealed class PostgresWorkflowDeleteTests
{
    private static readonly string ConnectionString = Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES") ?? string.Empty;

    [PostgresFact]
    public async Task Delete_OnOneServerRacingStartsOnBoth_NeverLeavesAStartedExecutionWithoutItsDefinition()
    {
        var schema = "srv_" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await ServerHarness.StartAsync(o => o with { PostgresConnectionString = ConnectionString, PostgresSchema = schema });
        await using var second = await ServerHarness.StartAsync(o => o with { PostgresConnectionString = ConnectionString, PostgresSchema = schema });
        ServerHarness[] servers = [first, second];
        for (var round = 0; round < 30; round++)
        {
            var id = $"approval-{round}";
            await first.CreateWorkflowAsync($"id: {id}\nnodes:\n  - id: ask\n    kind: wait\n    with: {{ signal: approval }}\n");

            // Some starts finish before the delete goes out (none in every third round), the rest race it from both
            // servers. Which side wins a race depends on the machine, so only the invariant is asserted; the ordered
            // outcomes are covered by the next test.
            var results = new List<(HttpStatusCode Status, JsonObject Body)>();
            for (var i = 0; i < round % 3; i++)
            {
                var settled = await StartAsync(servers[i % 2].Client, id);
                Assert.Equal(HttpStatusCode.Created, settled.Status);
                results.Add(settled);
            }

            var racing = new List<Task<(HttpStatusCode Status, JsonObject Body)>>();
            var racingBefore = round % 7 % 5;
            for (var i = 0; i < racingBefore; i++)
            {
                racing.Add(StartAsync(servers[i % 2].Client, id));
            }

            var delete = DeleteAsync(servers[round % 2].Client, $"/api/v1/workflows/{id}");
            for (var i = racingBefore; i < 5; i++)
            {
                racing.Add(StartAsync(servers[i % 2].Client, id));
            }

            results.AddRange(await Task.WhenAll(racing));
            var deleteStatus = await delete;
            Assert.All(results, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.NotFound }));

            // Every started execution waits for a signal, so the delete must be refused exactly when one started.
            var started = results.Where(r => r.Status == HttpStatusCode.Created).ToList();
            Assert.Equal(started.Count > 0 ? HttpStatusCode.Conflict : HttpStatusCode.NoContent, deleteStatus);
            foreach (var (_, body) in started)
            {
                // The version each execution started with is still there, on both servers.
                var version = body["workflowVersion"]!.GetValue<int>();
                foreach (var server in servers)
                {
                    Assert.Equal(version, (await server.GetJsonAsync($"/api/v1/workflows/{id}?version={version}"))["version"]!.GetValue<int>());
                }
            }
        }
    }

    [PostgresFact]
    public async Task Delete_OnOneServer_RefusesWhileTheOtherRunsAnExecution_ThenStartsThereGet404AndRecreateContinuesNumbering()
    {
        var schema = "srv_" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await ServerHarness.StartAsync(o => o with { PostgresConnectionString = ConnectionString, PostgresSchema = schema });
        await using var second = await ServerHarness.StartAsync(o => o with { PostgresConnectionString = ConnectionString, PostgresSchema = schema });
        await first.CreateWorkflowAsync(TestWorkflows.Approval);
        var executionId = (await first.StartAsync("approval"))["id"]!.GetValue<string>();

        using var refused = await second.Client.DeleteAsync("/api/v1/workflows/approval");
        var problem = await ServerHarness.AssertProblemAsync(refused, 409, "workflow-in-use");
        Assert.Contains(executionId, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var cancel = await first.Client.PostAsync($"/api/v1/executions/{executionId}/cancel", null);
        await second.WaitForEndAsync(executionId);
        using var deleted = await second.Client.DeleteAsync("/api/v1/workflows/approval");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var (status, _) = await StartAsync(first.Client, "approval");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var recreated = await first.CreateWorkflowAsync(TestWorkflows.Approval);
        Assert.Equal(2, recreated["version"]!.GetValue<int>());
        Assert.Equal("cancelled", (await second.GetJsonAsync($"/api/v1/executions/{executionId}"))["status"]!.GetValue<string>());
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> StartAsync(HttpClient client, string workflowId)
    {
        using var response = await client.PostAsync("/api/v1/executions", ServerHarness.Json(new JsonObject { ["workflowId"] = workflowId }));
        return (response.StatusCode, await ServerHarness.ReadAsync(response));
    }

    private static async Task<HttpStatusCode> DeleteAsync(HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(path);
        return response.StatusCode;
    }
}
