using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentFlow.Server.Observability;

/// <summary><c>GET /metrics</c>: every AgentFlow metric in the Prometheus text format.</summary>
internal static class MetricsEndpoint
{
    // Counting stops here so a scrape stays cheap on a store with a huge backlog; the gauge then shows this bound.
    private const int MaxCountedPages = 10;

    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder routes, SecurityOptions security)
    {
        var endpoint = routes.MapGet("/metrics", ScrapeAsync).WithTags("operations").WithName("Metrics")
            .WithSummary("Prometheus text (0.0.4): executions started/completed/failed by workflow, node durations by kind, queue depth, store append latency, active streams.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return security.MetricsRequireApiKey ? endpoint.RequireScope(Scopes.Admin) : endpoint;
    }

    private static async Task<IResult> ScrapeAsync(MetricsCollector collector, AgentFlowInstruments instruments, RuntimeService runtime, CancellationToken cancellationToken)
    {
        instruments.SetQueueDepth(await QueueDepthAsync(runtime, cancellationToken).ConfigureAwait(false));
        return Results.Text(PrometheusText.Write(collector.Collect()), PrometheusText.ContentType);
    }

    private static async Task<long> QueueDepthAsync(RuntimeService runtime, CancellationToken cancellationToken)
    {
        var running = runtime.Runtime.ActiveExecutionIds.ToHashSet(StringComparer.Ordinal);
        var waiting = 0L;
        string? token = null;
        for (var page = 0; page < MaxCountedPages; page++)
        {
            var result = await runtime.Store.QueryExecutionsAsync(
                new ExecutionQuery([ExecutionStatus.Running, ExecutionStatus.Cancelling], PageSize: ExecutionQuery.MaxPageSize, PageToken: token),
                cancellationToken).ConfigureAwait(false);
            waiting += result.Items.Count(r => !running.Contains(r.ExecutionId));
            token = result.NextPageToken;
            if (token is null)
            {
                break;
            }
        }

        return waiting;
    }
}
