using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Security;
using AgentFlow.Server.Tests.Workflows;
using AgentFlow.Testing;

namespace AgentFlow.Server.Tests.Security;

/// <summary>401 for every way a key can be bad, 403 for a missing scope, and what stays open, over real HTTP.</summary>
public sealed class AuthenticationTests
{
    [Fact]
    public async Task ScopedRoute_NoKey_Answers401WithHowToSendOne()
    {
        await using var server = await SecuredServer.StartAsync();

        using var response = await server.Client(null).GetAsync("/api/v1/executions");

        var problem = await ServerHarness.AssertProblemAsync(response, 401, "missing-api-key");
        Assert.Contains("Authorization: Bearer", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("af_0123456789ab_0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task ScopedRoute_UnknownOrMalformedKey_Answers401Invalid(string key)
    {
        await using var server = await SecuredServer.StartAsync();

        using var response = await server.Client(key).GetAsync("/api/v1/executions");

        await ServerHarness.AssertProblemAsync(response, 401, "invalid-api-key");
    }

    [Fact]
    public async Task ScopedRoute_KeyWithOneWrongCharacter_Answers401Invalid()
    {
        await using var server = await SecuredServer.StartAsync();
        var key = await server.KeyAsync("acme", ApiKeyScopes.Read);

        using var response = await server.Client(key[..^1] + (key[^1] == '0' ? '1' : '0')).GetAsync("/api/v1/executions");

        await ServerHarness.AssertProblemAsync(response, 401, "invalid-api-key");
    }

    [Fact]
    public async Task ScopedRoute_RevokedKey_Answers401RevokedWhileOtherKeysWork()
    {
        await using var server = await SecuredServer.StartAsync();
        var key = await server.KeyAsync("acme", ApiKeyScopes.Read);
        var other = await server.KeyAsync("acme", ApiKeyScopes.Read);
        using (var before = await server.Client(key).GetAsync("/api/v1/executions"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.True(await server.Keys.RevokeApiKeyAsync(ApiKeyMaterial.PrefixOf(key)!, CancellationToken.None));

        using var after = await server.Client(key).GetAsync("/api/v1/executions");
        await ServerHarness.AssertProblemAsync(after, 401, "revoked-api-key");
        using var stillFine = await server.Client(other).GetAsync("/api/v1/executions");
        Assert.Equal(HttpStatusCode.OK, stillFine.StatusCode);
    }

    [Fact]
    public async Task ScopedRoute_ExpiredKey_Answers401Expired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SecuredServer.StartAsync(configure: o => o with { TimeProvider = time });
        var created = await server.Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", [ApiKeyScopes.Read], ExpiresAt: time.GetUtcNow().AddHours(1)), CancellationToken.None);
        using (var before = await server.Client(created.Secret).GetAsync("/api/v1/executions"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        time.Advance(TimeSpan.FromHours(2));

        using var after = await server.Client(created.Secret).GetAsync("/api/v1/executions");
        await ServerHarness.AssertProblemAsync(after, 401, "expired-api-key");
    }

    [Fact]
    public async Task ScopedRoute_KeyInXApiKeyHeader_IsAccepted()
    {
        await using var server = await SecuredServer.StartAsync();
        var key = await server.KeyAsync("acme", ApiKeyScopes.Read);
        var client = server.Client(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        using var response = await client.GetAsync("/api/v1/executions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Routes_KeyWithoutTheScope_Answer403NamingIt()
    {
        await using var server = await SecuredServer.StartAsync();
        var admin = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Admin));
        var reader = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Read));
        var runner = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Run));
        await SecuredServer.CreateWorkflowAsync(admin, SecuredServer.Waiting);

        using var start = await reader.PostAsync("/api/v1/executions", ServerHarness.Json(new JsonObject { ["workflowId"] = "approval", ["inputs"] = new JsonObject() }));
        var problem = await ServerHarness.AssertProblemAsync(start, 403, "missing-scope");
        Assert.Contains("needs 'run'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var create = await runner.PostAsync("/api/v1/workflows", ServerHarness.Yaml(TestWorkflows.Greet()));
        await ServerHarness.AssertProblemAsync(create, 403, "missing-scope");
        using var read = await runner.GetAsync("/api/v1/executions");
        await ServerHarness.AssertProblemAsync(read, 403, "missing-scope");

        // The refused writes stored nothing; the scopes they lacked do work.
        Assert.Empty(JsonNode.Parse(await admin.GetStringAsync("/api/v1/executions"))!["items"]!.AsArray());
        var id = await SecuredServer.StartAsync(runner, "approval");
        Assert.Equal("running", JsonNode.Parse(await reader.GetStringAsync($"/api/v1/executions/{id}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_NoKey_StaysOpen()
    {
        await using var server = await SecuredServer.StartAsync();

        using var response = await server.Client(null).GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ScopedRoute_AcceptedKey_RecordsLastUse()
    {
        await using var server = await SecuredServer.StartAsync();
        var key = await server.KeyAsync("acme", ApiKeyScopes.Read);

        using var response = await server.Client(key).GetAsync("/api/v1/executions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await server.Keys.FindApiKeyAsync(key, CancellationToken.None))!.LastUsedAt);
    }
}
