using System.Globalization;
using System.Text.Json.Nodes;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Security;
using AgentFlow.Server.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AgentFlow.Server.Executions;

/// <summary><c>/api/v1/executions</c>: start, find, control and inspect executions.</summary>
internal static class ExecutionEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapExecutionEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/executions").WithTags("executions");
        group.MapPost("/", StartAsync).RequireScope(Scopes.Run).WithName("StartExecution")
            .WithSummary("Start an execution of a stored workflow; an Idempotency-Key (header or body) returns the same execution again (200 instead of 201).")
            .Produces<ExecutionResponse>(StatusCodes.Status201Created).Produces<ExecutionResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(415).ProducesProblem(422);
        group.MapGet("/", ListAsync).RequireScope(Scopes.Read).WithName("ListExecutions")
            .WithSummary("List executions newest first; filter by status (comma-separated), workflowId, createdFrom/createdBefore (ISO 8601) and label=key=value (repeatable).")
            .Produces<ExecutionListPage>().ProducesProblem(400);
        group.MapGet("/{id}", GetAsync).RequireScope(Scopes.Read).WithName("GetExecution")
            .Produces<ExecutionResponse>().ProducesProblem(404);
        group.MapPost("/{id}/cancel", CancelAsync).RequireScope(Scopes.Run).WithName("CancelExecution")
            .WithSummary("Cancel an execution wherever it runs.")
            .Produces<CancelResponse>(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id}/signal", SignalAsync).RequireScope(Scopes.Run).WithName("SignalExecution")
            .WithSummary("Send a signal (name, payload) that a wait node takes; kept in the inbox until then.")
            .Produces<SignalResponse>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id}/pause", PauseAsync).RequireScope(Scopes.Run).WithName("PauseExecution")
            .WithSummary("Pause an execution wherever it runs: nodes already running finish, nothing new starts until resume. Optional ?reason=text is recorded with the pause.")
            .Produces<ControlResponse>(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id}/resume", ResumeAsync).RequireScope(Scopes.Run).WithName("ResumeExecution")
            .WithSummary("Resume a paused execution.")
            .Produces<ControlResponse>(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id}/retry", RetryAsync).RequireScope(Scopes.Run).WithName("RetryExecution")
            .WithSummary("Retry a failed execution from the node(s) that failed; completed nodes keep their outputs and do not run again.")
            .Produces<ControlResponse>(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);

        group.MapGet("/{id}/history", HistoryAsync).RequireScope(Scopes.Read).WithName("GetExecutionHistory")
            .WithSummary("The execution's events in sequence order; ?after=N returns only those after sequence N.")
            .Produces<JsonObject>().ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/{id}/report", ReportAsync).RequireScope(Scopes.Read).WithName("GetExecutionReport")
            .WithSummary("Per-node status, attempts, inputs, outputs, errors and timings, folded from the log (secrets masked).")
            .Produces<JsonObject>().ProducesProblem(404);
        return api;
    }

    private static async Task<IResult> StartAsync(HttpContext context, ExecutionService executions, StartExecutionRequest request, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers[IdempotencyHeader].ToString();
        var key = header.Length > 0 ? header : request.IdempotencyKey;
        if (key is { Length: 0 or > 200 })
        {
            return ApiProblems.BadRequest("The idempotency key must be 1 to 200 characters.", "invalid-idempotency-key");
        }

        var tenant = context.GetTenantId();
        var (record, created, problem) = await executions.StartAsync(tenant, request, key, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var response = ExecutionResponse.From(record!, tenant);
        return created ? TypedResults.Created($"/api/v1/executions/{response.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> ListAsync(
        HttpContext context,
        RuntimeService runtime,
        [FromQuery] string? status,
        [FromQuery] string? workflowId,
        [FromQuery] DateTimeOffset? createdFrom,
        [FromQuery] DateTimeOffset? createdBefore,
        [FromQuery] string[]? label,
        [FromQuery] int? pageSize,
        [FromQuery] string? pageToken,
        CancellationToken cancellationToken)
    {
        var tenant = context.GetTenantId();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in label ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return ApiProblems.BadRequest($"label '{pair}' is not key=value (e.g. ?label=team=payments).", "invalid-label");
            }

            labels[pair[..equals]] = pair[(equals + 1)..];
        }

        labels[ExecutionLabels.Tenant] = tenant;
        var statuses = new List<ExecutionStatus>();
        foreach (var name in (status ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                statuses.Add(ExecutionStatusNames.Parse(name));
            }
            catch (FormatException)
            {
                return ApiProblems.BadRequest($"status '{name}' is unknown; use running, cancelling, succeeded, failed or cancelled.", "invalid-status");
            }
        }

        var size = pageSize ?? 50;
        if (size is < 1 or > ExecutionQuery.MaxPageSize)
        {
            return ApiProblems.BadRequest($"pageSize must be between 1 and {ExecutionQuery.MaxPageSize}; got {size}.", "invalid-page-size");
        }

        var query = new ExecutionQuery(statuses, workflowId is null ? null : WorkflowCatalog.Qualify(tenant, workflowId), createdFrom, createdBefore, labels, null, size, pageToken);
        try
        {
            var page = await runtime.Store.QueryExecutionsAsync(query, cancellationToken);
            return TypedResults.Ok(new ExecutionListPage(page.Items.Select(r => ExecutionResponse.From(r, tenant)).ToList(), page.NextPageToken));
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest(ex.Message.Split(" (Parameter", 2)[0], "invalid-page-token");
        }
    }

    private static async Task<IResult> GetAsync(HttpContext context, ExecutionService executions, string id, CancellationToken cancellationToken)
    {
        var tenant = context.GetTenantId();
        var record = await executions.FindAsync(tenant, id, cancellationToken);
        return record is null ? ApiProblems.NotFound("execution", id) : TypedResults.Ok(ExecutionResponse.From(record, tenant));
    }

    private static async Task<IResult> CancelAsync(HttpContext context, ExecutionService executions, RuntimeService runtime, string id, CancellationToken cancellationToken)
    {
        var tenant = context.GetTenantId();
        if (await executions.FindAsync(tenant, id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("execution", id);
        }

        var outcome = await runtime.Host.CancelAsync(id, cancellationToken);
        if (outcome == CancelOutcome.AlreadyFinished)
        {
            return ApiProblems.Conflict($"Execution '{id}' has already ended; there is nothing to cancel.", "already-finished");
        }

        var record = await executions.FindAsync(tenant, id, cancellationToken);
        var name = outcome == CancelOutcome.Requested ? "requested" : "cancelled";
        return TypedResults.Accepted($"/api/v1/executions/{id}", new CancelResponse(name, record is null ? null : ExecutionResponse.From(record, tenant)));
    }

    private static async Task<IResult> SignalAsync(HttpContext context, ExecutionService executions, RuntimeService runtime, string id, SignalRequest request, CancellationToken cancellationToken)
    {
        var record = await executions.FindAsync(context.GetTenantId(), id, cancellationToken);
        if (record is null)
        {
            return ApiProblems.NotFound("execution", id);
        }

        if (string.IsNullOrEmpty(request.Name))
        {
            return ApiProblems.BadRequest("The body needs the signal's name: {\"name\": \"approval\", \"payload\": {...}}.", "missing-signal-name");
        }

        if (record.IsTerminal)
        {
            return ApiProblems.Conflict($"Execution '{id}' has ended ({ExecutionStatusNames.Format(record.Status)}); it takes no more signals.", "already-finished");
        }

        var payload = request.Payload is { } json ? Value.FromJsonElement(json) : Value.Null;
        var sent = await runtime.Runtime.SignalAsync(id, request.Name, payload, request.DeduplicationId, cancellationToken);
        return TypedResults.Accepted($"/api/v1/executions/{id}", new SignalResponse(sent.Signal.SignalId, sent.Duplicate));
    }

    private static Task<IResult> PauseAsync(HttpContext context, ExecutionService executions, RuntimeService runtime, string id, [FromQuery] string? reason, CancellationToken cancellationToken) =>
        ControlAsync(context, executions, id, () => runtime.Host.PauseAsync(id, reason, cancellationToken), cancellationToken);

    private static Task<IResult> ResumeAsync(HttpContext context, ExecutionService executions, RuntimeService runtime, string id, CancellationToken cancellationToken) =>
        ControlAsync(context, executions, id, () => runtime.Host.ResumePausedAsync(id, cancellationToken), cancellationToken);

    private static Task<IResult> RetryAsync(HttpContext context, ExecutionService executions, RuntimeService runtime, string id, CancellationToken cancellationToken) =>
        ControlAsync(context, executions, id, async () => await runtime.Host.RetryAsync(id, cancellationToken) is null ? ControlOutcome.Unknown : ControlOutcome.Applied, cancellationToken);

    private static async Task<IResult> ControlAsync(HttpContext context, ExecutionService executions, string id, Func<Task<ControlOutcome>> control, CancellationToken cancellationToken)
    {
        var tenant = context.GetTenantId();
        if (await executions.FindAsync(tenant, id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("execution", id);
        }

        ControlOutcome outcome;
        try
        {
            outcome = await control();
        }
        catch (ExecutionConflictException ex)
        {
            return ApiProblems.Conflict(ex.Message, "invalid-state");
        }
        catch (ExecutionOwnedException ex)
        {
            return ApiProblems.Conflict(ex.Message, "owned-elsewhere");
        }
        catch (DefinitionUnavailableException ex)
        {
            return ApiProblems.Conflict(ex.Message, "definition-unavailable");
        }
        catch (WorkflowDeletedException ex)
        {
            // A retry re-opens the execution, which needs its definition again; the store refused it, nothing changed.
            return ApiProblems.Conflict($"Workflow version {ex.Version} of execution '{id}' was deleted, so it cannot run again; nothing changed.", "definition-unavailable");
        }

        if (outcome == ControlOutcome.Unknown)
        {
            return ApiProblems.NotFound("execution", id);
        }

        var record = await executions.FindAsync(tenant, id, cancellationToken);
        var name = outcome switch
        {
            ControlOutcome.Requested => "requested",
            ControlOutcome.Unchanged => "unchanged",
            _ => "applied",
        };
        return TypedResults.Accepted($"/api/v1/executions/{id}", new ControlResponse(name, record is null ? null : ExecutionResponse.From(record, tenant)));
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, ExecutionService executions, RuntimeService runtime, SecretValues secretValues, string id, [FromQuery] long? after, CancellationToken cancellationToken)
    {
        var tenant = context.GetTenantId();
        if (after is < 0)
        {
            return ApiProblems.BadRequest($"after must be 0 or a sequence number; got {after}.", "invalid-sequence");
        }

        if (await executions.FindAsync(tenant, id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("execution", id);
        }

        var events = await runtime.Store.ReadAsync(id, (after ?? 0) + 1, cancellationToken);
        var secrets = await secretValues.ForAsync(id, cancellationToken);
        var array = new JsonArray([.. events.Select(e => (JsonNode)EventJson.ToJson(e, tenant, secrets))]);
        return TypedResults.Ok(new JsonObject { ["executionId"] = id, ["events"] = array, ["lastSequence"] = events.Count > 0 ? events[^1].Sequence : after ?? 0 });
    }

    private static async Task<IResult> ReportAsync(HttpContext context, ExecutionService executions, RuntimeService runtime, string id, CancellationToken cancellationToken)
    {
        var tenant = context.GetTenantId();
        if (await executions.FindAsync(tenant, id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("execution", id);
        }

        var events = await runtime.Store.ReadAsync(id, 1, cancellationToken);
        var report = JsonNode.Parse(ExecutionReport.FromEvents(events).ToJson())!.AsObject();
        if (report["workflowId"]?.GetValue<string>() is { } workflowId)
        {
            report["workflowId"] = WorkflowCatalog.Unqualify(tenant, workflowId) ?? workflowId;
        }

        SecretRedaction.Redact(report, SecretRedaction.ValuesOf(events));

        return TypedResults.Ok(report);
    }
}
