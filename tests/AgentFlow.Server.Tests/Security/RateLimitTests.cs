using System.Net;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Security;

namespace AgentFlow.Server.Tests.Security;

/// <summary>Each key has its own token bucket; an empty bucket answers 429 with Retry-After.</summary>
public sealed class RateLimitTests
{
    // Refilled once an hour: within a test the bucket only drains, so the outcome does not depend on timing.
    private static readonly SecurityOptions TwoPerHour = new() { RateLimitBurst = 2, RateLimitTokensPerPeriod = 1, RateLimitPeriod = TimeSpan.FromHours(1) };

    [Fact]
    public async Task Requests_BeyondTheBurst_Answer429WithRetryAfterForThatKeyOnly()
    {
        await using var server = await SecuredServer.StartAsync(TwoPerHour);
        var busy = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Read));
        var other = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Read));

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await busy.GetAsync("/api/v1/executions");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await busy.GetAsync("/api/v1/executions");
        await ServerHarness.AssertProblemAsync(limited, 429, "rate-limited");
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        using var otherKey = await other.GetAsync("/api/v1/executions");
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task Requests_RateLimitOff_NeverLimited()
    {
        await using var server = await SecuredServer.StartAsync(new SecurityOptions { RateLimitBurst = 0 });
        var client = server.Client(await server.KeyAsync("acme", ApiKeyScopes.Read));

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("/api/v1/executions");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
