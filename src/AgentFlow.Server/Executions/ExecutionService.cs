using System.Security.Cryptography;
using System.Text;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
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

        if (stored.Format == DefinitionFormats.FlowGram)
        {
            return Fail(ApiProblems.NotImplemented("FlowGram schemas run through the FlowGram task API (POST /api/task/run) in this build; durable /api/v1 executions of them are not available yet."));
        }

        var definition = catalog.Load(stored, request.WorkflowId).Definition;
        if (definition is null)
        {
            return Fail(ApiProblems.Conflict($"Workflow '{request.WorkflowId}' version {stored.Version} no longer loads with this build; save a new version.", "definition-unavailable"));
        }

        var inputs = request.Inputs is { ValueKind: System.Text.Json.JsonValueKind.Object } json ? Value.FromJsonElement(json) : Value.EmptyObject;
        if (idempotencyKey is null)
        {
            return await StartNewAsync(tenant, request, definition, stored, Guid.NewGuid().ToString("N"), inputs, null, cancellationToken).ConfigureAwait(false);
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

            return await StartNewAsync(tenant, request, definition, stored, executionId, inputs, idempotencyKey, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<(ExecutionRecord? Record, bool Created, IResult? Problem)> StartNewAsync(
        string tenant, StartExecutionRequest request, WorkflowDefinition definition, StoredDefinition stored, string executionId, Value inputs, string? idempotencyKey, CancellationToken cancellationToken)
    {
        try
        {
            // The stored id is tenant-qualified, so a resumed execution reloads this tenant's definition.
            await runtime.Host.StartAsync(definition with { Id = stored.WorkflowId, Version = stored.Version }, inputs, new StartOptions { ExecutionId = executionId }, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowInputException ex)
        {
            return Fail(ApiProblems.Invalid("The inputs do not match the workflow's declared inputs; nothing was started.", ex.Diagnostics));
        }
        catch (ExecutionOwnedException) when (idempotencyKey is not null)
        {
            // Another process is starting the same key right now; its execution is the answer once it is recorded.
            var winner = await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
            return winner is null ? Fail(ApiProblems.Conflict("A start with the same idempotency key is in progress elsewhere; retry.", "idempotency-in-progress")) : (winner, false, null);
        }

        var labels = new Dictionary<string, string>(request.Labels ?? [], StringComparer.Ordinal) { [ExecutionLabels.Tenant] = tenant };
        if (idempotencyKey is not null)
        {
            labels[ExecutionLabels.IdempotencyKey] = idempotencyKey;
        }

        await runtime.Store.SetLabelsAsync(executionId, labels, cancellationToken).ConfigureAwait(false);
        var record = await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        return (record, true, null);
    }

    // The stored workflow id is tenant-qualified from the first event on, so this holds before the labels are written.
    private static bool BelongsTo(ExecutionRecord record, string tenant) =>
        record.ParentExecutionId is null && WorkflowCatalog.Unqualify(tenant, record.WorkflowId) is not null;

    private static string IdempotentId(string tenant, string key) =>
        "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant + "\0" + key)))[..31];

    private static (ExecutionRecord?, bool, IResult?) Fail(IResult problem) => (null, false, problem);
}
