using AgentFlow.Core.Persistence;
using AgentFlow.Server.Executions;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentFlow.Server.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (the store answers a query).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/health").WithTags("health");
        health.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live")))
            .WithName("Live").WithSummary("The process is up.");
        health.MapGet("/ready", ReadyAsync)
            .WithName("Ready").WithSummary("The store is reachable; 503 problem when not.")
            .Produces<HealthStatus>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<IResult> ReadyAsync(RuntimeService runtime, CancellationToken cancellationToken)
    {
        try
        {
            _ = await runtime.Store.QueryExecutionsAsync(new ExecutionQuery(PageSize: 1, Labels: new Dictionary<string, string> { [ExecutionLabels.Tenant] = SecurityExtensions.DefaultTenant }), cancellationToken);
            return TypedResults.Ok(new HealthStatus("ready"));
        }
        catch (Exception ex) when (ex is StoreException or InvalidOperationException or ObjectDisposedException)
        {
            return ApiProblems.Unavailable($"The store is not reachable: {ex.Message}");
        }
    }
}

/// <summary>The body of a health answer.</summary>
public sealed record HealthStatus(string Status);
