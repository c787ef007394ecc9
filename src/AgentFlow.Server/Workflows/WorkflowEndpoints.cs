using AgentFlow.Core.Persistence;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AgentFlow.Server.Workflows;

/// <summary><c>/api/v1/workflows</c>: create, list, get, update (a new version), delete and validate workflows.</summary>
internal static class WorkflowEndpoints
{
    public static RouteGroupBuilder MapWorkflowEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workflows").WithTags("workflows");
        group.MapPost("/", CreateAsync).RequireScope(Scopes.Admin).WithName("CreateWorkflow")
            .WithSummary("Create a workflow from a JSON or YAML body or a multipart file (our DSL or a FlowGram schema; FlowGram needs ?id=).")
            .AcceptsWorkflowDocument().DisableAntiforgery()
            .Produces<WorkflowResponse>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);
        group.MapPost("/validate", ValidateAsync).RequireScope(Scopes.Read).WithName("ValidateWorkflow")
            .WithSummary("Validate a workflow document without saving it.")
            .AcceptsWorkflowDocument().DisableAntiforgery()
            .Produces<ValidationResponse>().ProducesProblem(400).ProducesProblem(415).ProducesProblem(422);
        group.MapGet("/", ListAsync).RequireScope(Scopes.Read).WithName("ListWorkflows")
            .WithSummary("List the latest version of each workflow, ordered by id; search matches id or name.")
            .Produces<WorkflowPage>().ProducesProblem(400);
        group.MapGet("/{id}", GetAsync).RequireScope(Scopes.Read).WithName("GetWorkflow")
            .WithSummary("Get the latest version of a workflow, or ?version=N.")
            .Produces<WorkflowResponse>().ProducesProblem(404);
        group.MapPut("/{id}", UpdateAsync).RequireScope(Scopes.Admin).WithName("UpdateWorkflow")
            .WithSummary("Save a new version of a workflow; running executions keep the version they started with.")
            .AcceptsWorkflowDocument().DisableAntiforgery()
            .Produces<WorkflowResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(415).ProducesProblem(422);
        group.MapDelete("/{id}", DeleteAsync).RequireScope(Scopes.Admin).WithName("DeleteWorkflow")
            .WithSummary("Delete a workflow with every version; 409 while an unfinished execution uses it.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(404).ProducesProblem(409);
        return api;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, WorkflowCatalog catalog, [FromQuery] string? id, CancellationToken cancellationToken)
    {
        var (body, problem) = await WorkflowBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var loaded = catalog.Load(body, body.Format == DefinitionFormats.FlowGram ? id : null);
        if (Reject(loaded) is { } invalid)
        {
            return invalid;
        }

        var tenant = context.GetTenantId();
        if (await catalog.GetAsync(tenant, loaded.Id!, null, cancellationToken) is not null)
        {
            return ApiProblems.Conflict($"Workflow '{loaded.Id}' already exists; PUT /api/v1/workflows/{loaded.Id} saves a new version.", "workflow-exists");
        }

        var saved = await catalog.SaveAsync(tenant, loaded.Id!, body, cancellationToken);
        var response = WorkflowResponse.From(catalog, saved.Definition, loaded.Id!, created: true, withSource: false);
        return TypedResults.Created($"/api/v1/workflows/{Uri.EscapeDataString(loaded.Id!)}?version={saved.Definition.Version}", response);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, WorkflowCatalog catalog, string id, CancellationToken cancellationToken)
    {
        var tenant = context.GetTenantId();
        if (await catalog.GetAsync(tenant, id, null, cancellationToken) is null)
        {
            return ApiProblems.NotFound("workflow", id);
        }

        var (body, problem) = await WorkflowBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var loaded = catalog.Load(body, id);
        if (Reject(loaded) is { } invalid)
        {
            return invalid;
        }

        var saved = await catalog.SaveAsync(tenant, id, body, cancellationToken);
        return TypedResults.Ok(WorkflowResponse.From(catalog, saved.Definition, id, saved.Created, withSource: false));
    }

    private static async Task<IResult> ValidateAsync(HttpContext context, WorkflowCatalog catalog, [FromQuery] string? id, CancellationToken cancellationToken)
    {
        var (body, problem) = await WorkflowBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var loaded = catalog.Load(body, body.Format == DefinitionFormats.FlowGram ? id ?? "unnamed" : null);
        return Reject(loaded) ?? TypedResults.Ok(new ValidationResponse(true, loaded.Id, body.Format, loaded.Diagnostics.Select(ApiError.From).ToList()));
    }

    private static async Task<IResult> ListAsync(HttpContext context, WorkflowCatalog catalog, [FromQuery] string? search, [FromQuery] int? pageSize, [FromQuery] string? pageToken, CancellationToken cancellationToken)
    {
        var size = pageSize ?? 50;
        if (size is < 1 or > 1000)
        {
            return ApiProblems.BadRequest($"pageSize must be between 1 and 1000; got {size}.", "invalid-page-size");
        }

        try
        {
            var (items, next) = await catalog.ListAsync(context.GetTenantId(), search, size, pageToken, cancellationToken);
            return TypedResults.Ok(new WorkflowPage(items.Select(s => WorkflowResponse.From(catalog, s, s.WorkflowId, created: false, withSource: false)).ToList(), next));
        }
        catch (FormatException ex)
        {
            return ApiProblems.BadRequest(ex.Message, "invalid-page-token");
        }
    }

    private static async Task<IResult> GetAsync(HttpContext context, WorkflowCatalog catalog, string id, [FromQuery] int? version, CancellationToken cancellationToken)
    {
        var stored = await catalog.GetAsync(context.GetTenantId(), id, version, cancellationToken);
        return stored is null
            ? ApiProblems.NotFound("workflow", version is null ? id : $"{id}' version '{version}")
            : TypedResults.Ok(WorkflowResponse.From(catalog, stored, id, created: false, withSource: true));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, RuntimeService runtime, string id, CancellationToken cancellationToken)
    {
        // The store checks for unfinished executions and deletes in one atomic step, also against starts in other
        // processes sharing it (their first append fails once the delete committed).
        var result = await runtime.Store.DeleteDefinitionAsync(WorkflowCatalog.Qualify(context.GetTenantId(), id), cancellationToken);
        return result.Outcome switch
        {
            DefinitionDeleteOutcome.Deleted => TypedResults.NoContent(),
            DefinitionDeleteOutcome.InUse => ApiProblems.Conflict(
                $"Workflow '{id}' is used by unfinished execution '{result.UnfinishedExecutionId}'; cancel it or wait for it to end, then delete.", "workflow-in-use"),
            _ => ApiProblems.NotFound("workflow", id),
        };
    }

    private static IResult? Reject(LoadedWorkflow loaded)
    {
        if (!loaded.HasErrors && loaded.Id is not null)
        {
            return null;
        }

        var errors = loaded.Diagnostics.Where(d => d.IsError).ToList();
        return loaded.Malformed
            ? ApiProblems.BadRequest("The workflow document is not well-formed; see errors for the line and column.", "malformed", errors.Select(ApiError.From).ToList())
            : ApiProblems.Invalid($"The workflow has {errors.Count} error(s); nothing was saved.", errors);
    }
}
