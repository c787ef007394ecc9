using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Security;

/// <summary>A key sees only its own tenant: another tenant's ids answer 404 on every route, over real HTTP.</summary>
public sealed class TenantIsolationTests
{
    [Fact]
    public async Task OtherTenantsKey_ReadListCancelSignalStream_AllAnswer404AndChangeNothing()
    {
        await using var server = await SecuredServer.StartAsync();
        var a = server.Client(await server.KeyAsync("tenant-a", ApiKeyScopes.Admin));
        var b = server.Client(await server.KeyAsync("tenant-b", ApiKeyScopes.Admin));
        await SecuredServer.CreateWorkflowAsync(a, SecuredServer.Waiting);
        var id = await SecuredServer.StartAsync(a, "approval");

        foreach (var path in new[] { $"/api/v1/executions/{id}", $"/api/v1/executions/{id}/history", $"/api/v1/executions/{id}/report", $"/api/v1/executions/{id}/events", "/api/v1/workflows/approval", "/api/v1/workflows/approval/events" })
        {
            using var response = await b.GetAsync(path);
            await ServerHarness.AssertProblemAsync(response, 404);
        }

        using (var cancel = await b.PostAsync($"/api/v1/executions/{id}/cancel", null))
        {
            await ServerHarness.AssertProblemAsync(cancel, 404);
        }

        using (var signal = await b.PostAsync($"/api/v1/executions/{id}/signal", ServerHarness.Json(new JsonObject { ["name"] = "approval", ["payload"] = "forged" })))
        {
            await ServerHarness.AssertProblemAsync(signal, 404);
        }

        using (var startOther = await b.PostAsync("/api/v1/executions", ServerHarness.Json(new JsonObject { ["workflowId"] = "approval", ["inputs"] = new JsonObject() })))
        {
            await ServerHarness.AssertProblemAsync(startOther, 404);
        }

        var listedForB = JsonNode.Parse(await b.GetStringAsync("/api/v1/executions"))!["items"]!.AsArray();
        Assert.Empty(listedForB);
        Assert.Empty(JsonNode.Parse(await b.GetStringAsync("/api/v1/workflows"))!["items"]!.AsArray());

        // The owner still sees it running with no signal consumed: B's requests changed nothing.
        var own = JsonNode.Parse(await a.GetStringAsync($"/api/v1/executions/{id}"))!;
        Assert.Equal("running", own["status"]!.GetValue<string>());
        Assert.Contains(JsonNode.Parse(await a.GetStringAsync("/api/v1/executions"))!["items"]!.AsArray(), e => e!["id"]!.GetValue<string>() == id);
        Assert.Empty(await server.Harness.Services.GetRequiredService<Hosting.RuntimeService>().Store.ReadPendingSignalsAsync(id, CancellationToken.None));
    }
}
