using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using AgentFlow.Server.Executions;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace AgentFlow.Server.Streams;

/// <summary>
/// Live streams: Server-Sent Events and WebSocket for one execution (resumable from a sequence number), and SSE for
/// every execution of a workflow.
/// </summary>
internal static class StreamEndpoints
{
    public static RouteGroupBuilder MapStreamEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/executions/{id}/events", ExecutionSseAsync).RequireScope(Scopes.Read).WithTags("streams").WithName("StreamExecutionEvents")
            .WithSummary("Server-Sent Events of one execution: id = sequence number; resume with Last-Event-ID or ?after=N; node progress arrives as 'progress' events without an id; ends with an 'end' event.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/executions/{id}/ws", ExecutionWebSocketAsync).RequireScope(Scopes.Read).WithTags("streams").WithName("StreamExecutionWebSocket")
            .WithSummary("WebSocket of one execution: one JSON message per event ({kind, sequence, data}); ?after=N resumes; closes normally at the end.")
            .ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/workflows/{id}/events", WorkflowSseAsync).RequireScope(Scopes.Read).WithTags("streams").WithName("StreamWorkflowEvents")
            .WithSummary("Server-Sent Events of every execution of a workflow started or running from now on; id = executionId:sequence.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(404);
        return api;
    }

    private static async Task<IResult> ExecutionSseAsync(HttpContext context, ExecutionService executions, EventTail tail, SecretValues secrets, IHostApplicationLifetime lifetime, string id, [FromQuery] long? after, CancellationToken requestAborted)
    {
        // Streams end when the server stops, so a graceful shutdown does not wait for clients to hang up.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stream.Token;
        var (start, problem) = await OpenAsync(context, executions, id, after, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var tenant = context.GetTenantId();
        var sse = await SseWriter.StartAsync(context.Response, cancellationToken);
        try
        {
            await foreach (var item in tail.FollowAsync(id, start, cancellationToken))
            {
                var (kind, sequence, data) = StreamPayload.Of(item, tenant, await secrets.ForAsync(item, cancellationToken));
                await sse.WriteAsync(sequence?.ToString(CultureInfo.InvariantCulture), kind, data.ToJsonString(), cancellationToken);
            }

            await sse.WriteAsync(null, "end", new JsonObject { ["executionId"] = id }.ToJsonString(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client disconnected or the server is stopping; it resumes with Last-Event-ID.
        }

        return Results.Empty;
    }

    private static async Task<IResult> ExecutionWebSocketAsync(HttpContext context, ExecutionService executions, EventTail tail, SecretValues secrets, IHostApplicationLifetime lifetime, string id, [FromQuery] long? after, CancellationToken requestAborted)
    {
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stream.Token;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiProblems.BadRequest("This route takes a WebSocket upgrade request; use /events for Server-Sent Events.", "websocket-required");
        }

        var (start, problem) = await OpenAsync(context, executions, id, after, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var tenant = context.GetTenantId();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await foreach (var item in tail.FollowAsync(id, start, cancellationToken))
            {
                var (kind, sequence, data) = StreamPayload.Of(item, tenant, await secrets.ForAsync(item, cancellationToken));
                var message = new JsonObject { ["kind"] = kind, ["sequence"] = sequence, ["data"] = data };
                await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }

            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "execution ended", cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The client went away; nothing to clean up beyond the socket.
        }

        return Results.Empty;
    }

    private static async Task<IResult> WorkflowSseAsync(HttpContext context, WorkflowFeed feed, Workflows.WorkflowCatalog catalog, SecretValues secrets, TimeProvider time, IHostApplicationLifetime lifetime, string id, CancellationToken requestAborted)
    {
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stream.Token;
        var tenant = context.GetTenantId();
        if (await catalog.GetAsync(tenant, id, null, cancellationToken) is null)
        {
            return ApiProblems.NotFound("workflow", id);
        }

        var since = time.GetUtcNow();
        var sse = await SseWriter.StartAsync(context.Response, cancellationToken);
        try
        {
            await foreach (var item in feed.FollowAsync(tenant, id, since, cancellationToken))
            {
                var (kind, sequence, data) = StreamPayload.Of(item, tenant, await secrets.ForAsync(item, cancellationToken));
                await sse.WriteAsync(FormattableString.Invariant($"{data["executionId"]}:{sequence}"), kind, data.ToJsonString(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client disconnected or the server is stopping.
        }

        return Results.Empty;
    }

    private static async Task<(long After, IResult? Problem)> OpenAsync(HttpContext context, ExecutionService executions, string id, long? after, CancellationToken cancellationToken)
    {
        var start = after ?? 0;
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0 && !long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            return (0, ApiProblems.BadRequest($"Last-Event-ID '{lastEventId}' is not a sequence number; send the id of the last event received.", "invalid-last-event-id"));
        }

        if (start < 0)
        {
            return (0, ApiProblems.BadRequest($"after must be 0 or a sequence number; got {start}.", "invalid-sequence"));
        }

        return await executions.FindAsync(context.GetTenantId(), id, cancellationToken) is null
            ? (0, ApiProblems.NotFound("execution", id))
            : (start, null);
    }
}
