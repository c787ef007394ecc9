using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AgentFlow.Server.FlowGram;

/// <summary>
/// FlowGram's task routes, shaped like its reference server (FLOWGRAM.md §4.3) so FlowGram's editor demo can use
/// AgentFlow as its server: empty 200 bodies where the reference returns <c>undefined</c>, zod-like 400s for bad input,
/// and reports passed through the reference's zod output schema in strip mode (<see cref="FlowGramOutputSchema"/>). Errors are problem+json carrying the reference's
/// <c>message</c> and <c>code</c> too. CORS is open on these routes.
/// </summary>
internal static class FlowGramEndpoints
{
    public static IEndpointRouteBuilder MapFlowGramEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/info", (TimeProvider time) => TypedResults.Ok(new FlowGramInfo("flowgram-runtime", "FlowGram Runtime", "FlowGram Runtime Demo", "nodejs", "0.0.1", time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))))
            .WithTags("flowgram").WithName("FlowGramInfo").RequireScope(Scopes.Read).RequireCors(Cors);
        var task = routes.MapGroup("/api").WithTags("flowgram").RequireCors(Cors);
        task.MapGet("/info", () => Empty()).RequireScope(Scopes.Read).WithName("FlowGramApiInfo");
        task.MapPost("/task/run", Run).RequireScope(Scopes.Run).WithName("FlowGramTaskRun")
            .WithSummary("TaskRun: {schema: JSON text, inputs} → {taskID}; empty body when the schema cannot be built.")
            .Produces<FlowGramRunResponse>().ProducesProblem(400);
        task.MapGet("/task/report", Report).RequireScope(Scopes.Read).WithName("FlowGramTaskReport")
            .WithSummary("TaskReport: the report, or an empty body for an unknown task.").Produces<JsonObject>().ProducesProblem(400).ProducesProblem(500);
        task.MapGet("/task/result", Result).RequireScope(Scopes.Read).WithName("FlowGramTaskResult")
            .WithSummary("TaskResult: the outputs once terminated, else an empty body.").Produces<JsonObject>().ProducesProblem(400);
        task.MapPut("/task/cancel", Cancel).RequireScope(Scopes.Run).WithName("FlowGramTaskCancel")
            .WithSummary("TaskCancel: {taskID} → {success}.").Produces<FlowGramCancelResponse>().ProducesProblem(400);
        task.MapPost("/task/validate", Validate).RequireScope(Scopes.Read).WithName("FlowGramTaskValidate")
            .WithSummary("TaskValidate: {schema, inputs} → {valid, errors?}.").Produces<JsonObject>().ProducesProblem(400);
        return routes;
    }

    public const string Cors = "flowgram";

    private static async Task<IResult> Run(HttpContext context, FlowGramService flowGram, FlowGramTaskRequest request, CancellationToken cancellationToken)
    {
        if (Check(request) is { } invalid)
        {
            return invalid;
        }

        try
        {
            return TypedResults.Ok(new FlowGramRunResponse(await flowGram.RunAsync(context.GetTenantId(), request.Schema!.Value.GetString()!, Inputs(request), cancellationToken)));
        }
        catch (FlowGramException)
        {
            return Empty();
        }
    }

    private static async Task<IResult> Report(HttpContext context, FlowGramService flowGram, [FromQuery] string? taskID, CancellationToken cancellationToken)
    {
        if (taskID is null)
        {
            return InputFailed(Issue("taskID", "string", "undefined"));
        }

        if (!await flowGram.OwnsAsync(context.GetTenantId(), taskID, cancellationToken) || await flowGram.Api.TaskReportAsync(taskID, cancellationToken) is not { } report)
        {
            return Empty();
        }

        // A task that failed validation (no workflowStatus.startTime) or a node that failed resolving its inputs (a
        // snapshot without inputs) does not pass the reference server's output schema.
        return FlowGramOutputSchema.StripReport(report) is { } stripped
            ? TypedResults.Ok(stripped)
            : ApiProblems.Problem(StatusCodes.Status500InternalServerError, "INTERNAL_SERVER_ERROR", "Output validation failed", "Output validation failed");
    }

    private static async Task<IResult> Result(HttpContext context, FlowGramService flowGram, [FromQuery] string? taskID, CancellationToken cancellationToken) =>
        taskID is null ? InputFailed(Issue("taskID", "string", "undefined"))
        : await flowGram.OwnsAsync(context.GetTenantId(), taskID, cancellationToken) && await flowGram.Api.TaskResultAsync(taskID, cancellationToken) is { } result ? TypedResults.Ok(result)
        : Empty();

    private static async Task<IResult> Cancel(HttpContext context, FlowGramService flowGram, FlowGramCancelRequest request, CancellationToken cancellationToken) =>
        request.TaskID is not { ValueKind: JsonValueKind.String } id
            ? InputFailed(Issue("taskID", "string", Received(request.TaskID)))
            : TypedResults.Ok(new FlowGramCancelResponse(
                await flowGram.OwnsAsync(context.GetTenantId(), id.GetString()!, cancellationToken) && await flowGram.Api.TaskCancelAsync(id.GetString()!, cancellationToken)));

    private static IResult Validate(FlowGramService flowGram, FlowGramTaskRequest request)
    {
        if (Check(request) is { } invalid)
        {
            return invalid;
        }

        var output = flowGram.Api.TaskValidate(request.Schema!.Value.GetString()!, Inputs(request));
        var body = new JsonObject { ["valid"] = output.Valid };
        if (output.Errors is not null)
        {
            body["errors"] = new JsonArray([.. output.Errors.Select(e => JsonValue.Create(e))]);
        }

        return TypedResults.Ok(body);
    }

    private static ProblemHttpResult? Check(FlowGramTaskRequest request)
    {
        var issues = new List<JsonObject>();
        if (request.Schema is not { ValueKind: JsonValueKind.String })
        {
            issues.Add(Issue("schema", "string", Received(request.Schema)));
        }

        if (request.Inputs is not { ValueKind: JsonValueKind.Object })
        {
            issues.Add(Issue("inputs", "object", Received(request.Inputs)));
        }

        return issues.Count == 0 ? null : InputFailed([.. issues]);
    }

    private static JsonObject? Inputs(FlowGramTaskRequest request) => JsonNode.Parse(request.Inputs!.Value.GetRawText()) as JsonObject;

    private static string Received(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Undefined => "undefined",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "boolean",
    };

    private static JsonObject Issue(string path, string expected, string received) => new()
    {
        ["code"] = "invalid_type",
        ["expected"] = expected,
        ["received"] = received,
        ["path"] = new JsonArray(path),
        ["message"] = received == "undefined" ? "Required" : $"Expected {expected}, received {received}",
    };

    private static ProblemHttpResult InputFailed(params JsonObject[] issues) => TypedResults.Problem(
        "Input validation failed",
        statusCode: StatusCodes.Status400BadRequest,
        title: "Bad request",
        type: ApiProblems.TypeBase + "bad-request",
        extensions: new Dictionary<string, object?> { ["message"] = "Input validation failed", ["code"] = "BAD_REQUEST", ["issues"] = new JsonArray([.. issues]) });

    private static IResult Empty() => Results.Text(string.Empty, "application/json");
}
