using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Workflows;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Server.Executions;

/// <summary>Starts and finds executions for a tenant; another tenant's executions are invisible (null, so 404).</summary>
internal sealed class ExecutionService(RuntimeService runtime, WorkflowCatalog catalog) : IDisposable
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly StartableDefinitionCache _definitions = new(catalog);

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    /// <summary>The execution when it exists and belongs to <paramref name="tenant"/>.</summary>
    public async Task<ExecutionRecord?> FindAsync(string tenant, string executionId, CancellationToken cancellationToken)
    {
        var record = await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        return record is not null && BelongsTo(record, tenant) ? record : null;
    }

    /// <summary>Starts an execution; with an idempotency key, a second start returns the first execution (Created false).</summary>
    public async Task<(ExecutionRecord? Record, bool Created, IResult? Problem)> StartAsync(string tenant, StartExecutionRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.WorkflowId))
        {
            return Fail(ApiProblems.BadRequest("The body needs a workflowId: {\"workflowId\": \"my-flow\", \"inputs\": {...}}.", "missing-workflow-id"));
        }

        if (request.Labels?.Keys.FirstOrDefault(k => k.StartsWith(ExecutionLabels.ReservedPrefix, StringComparison.Ordinal) || k.Length == 0) is { } reserved)
        {
            return Fail(ApiProblems.BadRequest($"Label '{reserved}' is reserved or empty; use keys that do not start with '{ExecutionLabels.ReservedPrefix}'.", "reserved-label"));
        }

        if (request.Inputs is { } raw && raw.ValueKind is not (System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Null))
        {
            return Fail(ApiProblems.BadRequest($"inputs must be a JSON object; got {raw.ValueKind.ToString().ToLowerInvariant()}.", "invalid-inputs"));
        }

        var stored = await catalog.GetAsync(tenant, request.WorkflowId, request.Version, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Fail(ApiProblems.NotFound("workflow", request.Version is null ? request.WorkflowId : $"{request.WorkflowId}' version '{request.Version}"));
        }

        Starter start;
        if (stored.Format == DefinitionFormats.FlowGram)
        {
            // Started as a FlowGram task, so /api/task/report and /result answer for it too; invalid inputs give a failed task as there.
            var inputs = request.Inputs is { ValueKind: JsonValueKind.Object } json ? JsonNode.Parse(json.GetRawText()) as JsonObject : null;
            start = (id, labels, ct) => runtime.FlowGram.TaskRunAsync(stored, inputs, labels, id, ct);
        }
        else
        {
            var definition = _definitions.Get(stored, request.WorkflowId);
            if (definition is null)
            {
                return Fail(Unavailable(request.WorkflowId, stored.Version));
            }

            var inputs = request.Inputs is { ValueKind: JsonValueKind.Object } json ? Value.FromJsonElement(json) : Value.EmptyObject;
            start = async (id, labels, ct) =>
            {
                await runtime.Host.StartAsync(definition, inputs, new StartOptions { ExecutionId = id }, ct).ConfigureAwait(false);
                await runtime.Store.SetLabelsAsync(id, labels, ct).ConfigureAwait(false);
                return id;
            };
        }

        if (idempotencyKey is null)
        {
            return await StartNewAsync(tenant, request, stored, start, Guid.NewGuid().ToString("N"), null, cancellationToken).ConfigureAwait(false);
        }

        // Two starts with one key in this process take turns (another process is kept out by the lease), so the second
        // finds the first's execution instead of racing it for the same id.
        var executionId = IdempotentId(tenant, idempotencyKey);
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(executionId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return (existing, false, null);
            }

            return await StartNewAsync(tenant, request, stored, start, executionId, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<(ExecutionRecord? Record, bool Created, IResult? Problem)> StartNewAsync(
        string tenant, StartExecutionRequest request, StoredDefinition stored, Starter start, string executionId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(request.Labels ?? [], StringComparer.Ordinal) { [ExecutionLabels.Tenant] = tenant };
        if (idempotencyKey is not null)
        {
            labels[ExecutionLabels.IdempotencyKey] = idempotencyKey;
        }

        try
        {
            await start(executionId, labels, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowInputException ex)
        {
            return Fail(ApiProblems.Invalid("The inputs do not match the workflow's declared inputs; nothing was started.", ex.Diagnostics));
        }
        catch (FlowGramException)
        {
            return Fail(Unavailable(request.WorkflowId!, stored.Version));
        }
        catch (WorkflowDeletedException ex)
        {
            // A delete committed between reading the definition and storing the first event (possibly in another process).
            return Fail(ApiProblems.Problem(
                StatusCodes.Status404NotFound, "workflow-deleted", "Not found", $"Workflow '{request.WorkflowId}' version {ex.Version} was deleted while the execution was starting; nothing was started."));
        }
        catch (ExecutionOwnedException) when (idempotencyKey is not null)
        {
            // Another process is starting the same key right now; its execution is the answer once it is recorded.
            var winner = await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
            return winner is null ? Fail(ApiProblems.Conflict("A start with the same idempotency key is in progress elsewhere; retry.", "idempotency-in-progress")) : (winner, false, null);
        }

        var record = await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        return (record, true, null);
    }

    /// <summary>
    /// Whether a top-level execution is the tenant's: its stored workflow id is qualified with the tenant (from the first
    /// event on), or, for a FlowGram task (whose id is unqualified), its tenant label says so. Callers cannot set
    /// <c>agentflow.</c> labels, so the label is the server's word.
    /// </summary>
    public static bool BelongsTo(ExecutionRecord record, string tenant) =>
        record.ParentExecutionId is null
        && (WorkflowCatalog.Unqualify(tenant, record.WorkflowId) is not null
            || (!record.WorkflowId.Contains('/', StringComparison.Ordinal)
                && record.Labels.TryGetValue(ExecutionLabels.Tenant, out var owner) && string.Equals(owner, tenant, StringComparison.Ordinal)));

    private static IResult Unavailable(string workflowId, int version) =>
        ApiProblems.Conflict($"Workflow '{workflowId}' version {version} no longer loads with this build; save a new version.", "definition-unavailable");

    private static string IdempotentId(string tenant, string key) =>
        "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant + "\0" + key)))[..31];

    private static (ExecutionRecord?, bool, IResult?) Fail(IResult problem) => (null, false, problem);

    /// <summary>Starts the execution with this id and labels.</summary>
    private delegate Task<string> Starter(string executionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);
}
